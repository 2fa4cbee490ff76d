using System.Text;

namespace TinySwap.Supervisor;

/// <summary>Turns chunks read from a pipe into text lines; a line longer than <see cref="MaxLineBytes"/> is split.</summary>
internal sealed class LineAssembler
{
    public const int MaxLineBytes = 8 * 1024;

    private readonly byte[] _partial = new byte[MaxLineBytes];
    private int _partialLength;

    public void Feed(ReadOnlySpan<byte> chunk, Action<string> onLine)
    {
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            var take = newline < 0 ? chunk.Length : newline;
            var room = MaxLineBytes - _partialLength;
            if (take > room)
            {
                chunk[..room].CopyTo(_partial.AsSpan(_partialLength));
                _partialLength = MaxLineBytes;
                Flush(onLine);
                chunk = chunk[room..];
                continue;
            }
            chunk[..take].CopyTo(_partial.AsSpan(_partialLength));
            _partialLength += take;
            if (newline < 0)
                return;
            Flush(onLine);
            chunk = chunk[(newline + 1)..];
        }
    }

    /// <summary>Emits what is left without a trailing newline (at EOF).</summary>
    public void Flush(Action<string> onLine)
    {
        if (_partialLength == 0)
            return;
        var length = _partialLength;
        if (_partial[length - 1] == (byte)'\r')
            length--;
        onLine(Encoding.UTF8.GetString(_partial, 0, length));
        _partialLength = 0;
    }
}
