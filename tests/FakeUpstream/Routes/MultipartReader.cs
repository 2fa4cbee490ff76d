using System.Text;
using FakeUpstream.Http;

namespace FakeUpstream.Routes;

/// <summary>One part of a multipart/form-data body: its field name, file name, size and (if small) its text.</summary>
internal sealed record MultipartPart(string Name, string? FileName, long Size, string? Text);

/// <summary>
/// Reads multipart/form-data (RFC 7578, delimiters per RFC 2046 §5.1.1) as it streams in, holding at most
/// one buffer of the body: file contents are counted, small fields kept as text.
/// </summary>
internal sealed class MultipartReader
{
    private const int KeepTextUpTo = 4096;
    private const int HeadLimit = 16 * 1024;

    private readonly byte[] _delimiter;   // CRLF "--" boundary: every part's content ends right before it
    private readonly byte[] _buffer;
    private readonly List<MultipartPart> _parts = [];
    private int _length;
    private State _state = State.Preamble;
    private string _name = "", _fileName = "";
    private bool _hasFileName;
    private long _size;
    private readonly MemoryStream _text = new();

    private enum State { Preamble, AfterDelimiter, PartHead, Content, Done }

    private MultipartReader(string boundary)
    {
        _delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        _buffer = new byte[64 * 1024 + _delimiter.Length];
        // The first delimiter has no CRLF before it; pretend it has, so one search finds them all.
        "\r\n"u8.CopyTo(_buffer);
        _length = 2;
    }

    /// <summary>The boundary parameter of a multipart Content-Type, unquoted; null if there is none.</summary>
    public static string? BoundaryOf(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
            return null;
        foreach (var parameter in contentType.Split(';'))
        {
            var trimmed = parameter.Trim();
            if (trimmed.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))
                return trimmed["boundary=".Length..].Trim('"');
        }
        return null;
    }

    /// <summary>All parts, or an error text if the body ends before the closing delimiter.</summary>
    public static async ValueTask<(List<MultipartPart> Parts, string? Error)> ReadAsync(MessageBody body, string boundary, CancellationToken cancel)
    {
        var reader = new MultipartReader(boundary);
        while (true)
        {
            var read = await body.ReadAsync(reader._buffer.AsMemory(reader._length), cancel);
            reader._length += read;
            var error = reader.Process();
            if (error is not null)
                return (reader._parts, error);
            if (reader._state == State.Done)
            {
                await body.DrainAsync(new ScratchBuffer(), cancel); // the epilogue, ignored
                return (reader._parts, null);
            }
            if (read == 0)
                return (reader._parts, "body ended before the closing boundary");
        }
    }

    /// <summary>Consumes as much of the buffer as can be decided now; leaves a possible partial delimiter for later.</summary>
    private string? Process()
    {
        while (true)
        {
            var data = _buffer.AsSpan(0, _length);
            switch (_state)
            {
                case State.Preamble or State.Content:
                    var at = data.IndexOf(_delimiter);
                    if (at < 0)
                    {
                        // Everything but a tail that could start a delimiter is content.
                        var safe = Math.Max(0, _length - (_delimiter.Length - 1));
                        Count(data[..safe]);
                        Shift(safe);
                        return null;
                    }
                    Count(data[..at]);
                    if (_state == State.Content)
                        FinishPart();
                    Shift(at + _delimiter.Length);
                    _state = State.AfterDelimiter;
                    break;
                case State.AfterDelimiter:
                    if (data.Length >= 2 && data.StartsWith("--"u8))
                    {
                        _state = State.Done;
                        return null;
                    }
                    var lineEnd = data.IndexOf((byte)'\n');
                    if (lineEnd < 0)
                        return _length > 1024 ? "no line end after a boundary" : null; // padding, then CRLF (RFC 2046 §5.1.1)
                    Shift(lineEnd + 1);
                    _state = State.PartHead;
                    break;
                case State.PartHead:
                    var end = data.IndexOf("\r\n\r\n"u8);
                    if (end < 0)
                        return _length >= HeadLimit ? "part headers too long" : null;
                    StartPart(Encoding.UTF8.GetString(data[..end]));
                    Shift(end + 4);
                    _state = State.Content;
                    break;
                case State.Done:
                    return null;
            }
        }
    }

    private void StartPart(string headers)
    {
        _name = "";
        _fileName = "";
        _hasFileName = false;
        _size = 0;
        _text.SetLength(0);
        foreach (var line in headers.Split("\r\n"))
        {
            if (!line.StartsWith("Content-Disposition:", StringComparison.OrdinalIgnoreCase))
                continue;
            foreach (var parameter in line.Split(';'))
            {
                var trimmed = parameter.Trim();
                if (trimmed.StartsWith("name=", StringComparison.OrdinalIgnoreCase))
                    _name = trimmed["name=".Length..].Trim('"');
                else if (trimmed.StartsWith("filename=", StringComparison.OrdinalIgnoreCase))
                {
                    _fileName = trimmed["filename=".Length..].Trim('"');
                    _hasFileName = true;
                }
            }
        }
    }

    private void Count(ReadOnlySpan<byte> content)
    {
        if (_state != State.Content)
            return;
        _size += content.Length;
        if (!_hasFileName && _text.Length < KeepTextUpTo)
            _text.Write(content[..Math.Min(content.Length, KeepTextUpTo - (int)_text.Length)]);
    }

    private void FinishPart() =>
        _parts.Add(new MultipartPart(_name, _hasFileName ? _fileName : null, _size,
            _hasFileName ? null : Encoding.UTF8.GetString(_text.GetBuffer(), 0, (int)_text.Length)));

    private void Shift(int count)
    {
        Buffer.BlockCopy(_buffer, count, _buffer, 0, _length - count);
        _length -= count;
    }
}
