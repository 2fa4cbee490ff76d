using System.Diagnostics;

namespace TinySwap.Tests.Support;

/// <summary>Lines of one output stream of a child process as they arrive, and whether it has reached end of file.</summary>
internal sealed class LineLog
{
    private readonly List<string> _lines = [];
    private bool _closed;

    /// <summary>Process.OutputDataReceived's data: a line, or null at end of file.</summary>
    public void Add(string? line)
    {
        lock (_lines)
        {
            if (line is null)
                _closed = true;
            else
                _lines.Add(line);
            Monitor.PulseAll(_lines);
        }
    }

    public List<string> Snapshot()
    {
        lock (_lines)
            return [.. _lines];
    }

    /// <summary>The first line matching, waiting for it until the stream closes or the timeout passes (then null).</summary>
    public string? WaitFor(Func<string, bool> match, TimeSpan timeout) => WaitForCount(match, 1, timeout);

    /// <summary>The <paramref name="count"/>-th line matching, waiting as <see cref="WaitFor"/> does.</summary>
    public string? WaitForCount(Func<string, bool> match, int count, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        lock (_lines)
        {
            while (true)
            {
                if (_lines.Where(match).Skip(count - 1).FirstOrDefault() is { } found)
                    return found;
                var left = timeout - waited.Elapsed;
                if (_closed || left <= TimeSpan.Zero)
                    return null;
                Monitor.Wait(_lines, left);
            }
        }
    }
}
