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
    private readonly Queue<(OutputStream Stream, string Text)> _lines = new();
    private readonly object _gate = new();
    private long _chars;

    public void Add(OutputStream stream, string line)
    {
        lock (_gate)
        {
            _lines.Enqueue((stream, line));
            _chars += line.Length + 1;
            while (_chars > capacityChars && _lines.Count > 1)
                _chars -= _lines.Dequeue().Text.Length + 1;
        }
    }

    /// <summary>The last <paramref name="maxLines"/> lines, oldest first; only one stream's when <paramref name="only"/> is set.</summary>
    public IReadOnlyList<string> Last(int maxLines, OutputStream? only = null)
    {
        lock (_gate)
        {
            var all = new List<string>(_lines.Count);
            foreach (var (stream, text) in _lines)
            {
                if (only is null || stream == only)
                    all.Add(text);
            }
            return all.Count <= maxLines ? all : all.GetRange(all.Count - maxLines, maxLines);
        }
    }
}
