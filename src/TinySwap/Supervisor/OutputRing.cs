namespace TinySwap.Supervisor;

internal enum OutputStream { Stdout, Stderr }

/// <summary>Receives a child's output line by line (called on the child watcher thread).</summary>
internal interface IOutputSink
{
    void OnLine(OutputStream stream, string line);
}

/// <summary>
/// Recent output lines, bounded by size (oldest dropped first); thread-safe. The text lives in one circular character
/// buffer rather than a string per line: tinyswap's own ring takes every request's access line, which would otherwise
/// be a string per request kept alive long enough to be promoted, then dropped. Strings are made only when read.
/// </summary>
internal sealed class OutputRing(int capacityChars)
{
    private const int FirstBufferChars = 4 * 1024;

    /// <summary>Where a line's text starts in the character stream (a position counted from the first line ever).</summary>
    private readonly record struct Line(long Number, OutputStream Stream, long Start, int Length);

    private readonly object _gate = new();
    private char[] _text = [];
    private Line[] _lines = [];
    private int _firstLine;
    private int _lineCount;
    private long _start;   // stream position of the oldest kept character
    private long _end;     // stream position after the newest one
    private long _added;

    /// <summary>How many lines were ever added: a mark that <see cref="Last"/> can start from (one start attempt's output).</summary>
    public long Mark
    {
        get
        {
            lock (_gate)
                return _added;
        }
    }

    public void Add(OutputStream stream, string line) => Add(stream, line.AsSpan());

    /// <summary>Adds a line (without its newline); the newest line is always kept, even one longer than the capacity.</summary>
    public void Add(OutputStream stream, ReadOnlySpan<char> line)
    {
        lock (_gate)
        {
            // Each line counts one more character, its newline, as the text /logs serves it.
            while (_lineCount > 0 && _end - _start + _lineCount + line.Length + 1 > capacityChars)
                DropOldest();
            if (_lineCount == 0)
                _start = _end;
            Reserve(_end - _start + line.Length);
            Write(_end, line);
            AddLine(new Line(_added++, stream, _end, line.Length));
            _end += line.Length;
        }
    }

    /// <summary>
    /// The last <paramref name="maxLines"/> lines, oldest first; only one stream's when <paramref name="only"/> is set,
    /// and only those added since <paramref name="since"/> (a <see cref="Mark"/>).
    /// </summary>
    public IReadOnlyList<string> Last(int maxLines, OutputStream? only = null, long since = 0)
    {
        lock (_gate)
        {
            var all = new List<string>(_lineCount);
            for (var i = 0; i < _lineCount; i++)
            {
                var line = _lines[(_firstLine + i) % _lines.Length];
                if (line.Number >= since && (only is null || line.Stream == only))
                    all.Add(Read(line));
            }
            return all.Count <= maxLines ? all : all.GetRange(all.Count - maxLines, maxLines);
        }
    }

    private void DropOldest()
    {
        _firstLine = (_firstLine + 1) % _lines.Length;
        _lineCount--;
        _start = _lineCount == 0 ? _end : _lines[_firstLine].Start;
    }

    private void AddLine(Line line)
    {
        if (_lineCount == _lines.Length)
        {
            var grown = new Line[Math.Max(_lines.Length * 2, 64)];
            for (var i = 0; i < _lineCount; i++)
                grown[i] = _lines[(_firstLine + i) % _lines.Length];
            _lines = grown;
            _firstLine = 0;
        }
        _lines[(_firstLine + _lineCount) % _lines.Length] = line;
        _lineCount++;
    }

    /// <summary>Grows the buffer (doubling, up to the capacity unless one line needs more) to hold <paramref name="chars"/>.</summary>
    private void Reserve(long chars)
    {
        if (chars <= _text.Length)
            return;
        var size = (int)Math.Max(chars, Math.Min(Math.Max(_text.Length * 2L, FirstBufferChars), capacityChars));
        var grown = new char[size];
        // Positions map to index position % length, so the kept text moves to where the new length puts it.
        for (var position = _start; position < _end;)
        {
            var from = (int)(position % _text.Length);
            var count = (int)Math.Min(_end - position, _text.Length - from);
            var to = (int)(position % size);
            var fits = Math.Min(count, size - to);
            _text.AsSpan(from, fits).CopyTo(grown.AsSpan(to));
            _text.AsSpan(from + fits, count - fits).CopyTo(grown);
            position += count;
        }
        _text = grown;
    }

    private void Write(long position, ReadOnlySpan<char> line)
    {
        if (line.IsEmpty)
            return;
        var at = (int)(position % _text.Length);
        var first = Math.Min(line.Length, _text.Length - at);
        line[..first].CopyTo(_text.AsSpan(at));
        line[first..].CopyTo(_text);
    }

    private string Read(Line line)
    {
        if (line.Length == 0)
            return "";
        var at = (int)(line.Start % _text.Length);
        var first = Math.Min(line.Length, _text.Length - at);
        return first == line.Length
            ? new string(_text, at, line.Length)
            : string.Concat(_text.AsSpan(at, first), _text.AsSpan(0, line.Length - first));
    }
}
