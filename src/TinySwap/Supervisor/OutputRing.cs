namespace TinySwap.Supervisor;

internal enum OutputStream { Stdout, Stderr }

/// <summary>Receives a child's output line by line (called on the child watcher thread).</summary>
internal interface IOutputSink
{
    void OnLine(OutputStream stream, string line);
}

/// <summary>A model's recent stdout/stderr lines, bounded by size (oldest dropped first); thread-safe.</summary>
internal sealed class OutputRing(int capacityChars)
{
    private readonly Queue<(long Number, OutputStream Stream, string Text)> _lines = new();
    private readonly object _gate = new();
    private long _chars;
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

    public void Add(OutputStream stream, string line)
    {
        lock (_gate)
        {
            _lines.Enqueue((_added++, stream, line));
            _chars += line.Length + 1;
            while (_chars > capacityChars && _lines.Count > 1)
                _chars -= _lines.Dequeue().Text.Length + 1;
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
            var all = new List<string>(_lines.Count);
            foreach (var (number, stream, text) in _lines)
            {
                if (number >= since && (only is null || stream == only))
                    all.Add(text);
            }
            return all.Count <= maxLines ? all : all.GetRange(all.Count - maxLines, maxLines);
        }
    }
}
