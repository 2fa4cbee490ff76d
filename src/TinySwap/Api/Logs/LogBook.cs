using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using TinySwap.Observability.Streams;
using TinySwap.Supervisor;

namespace TinySwap.Api.Logs;

/// <summary>
/// The recent log lines GET /logs serves and the streams that follow them: tinyswap's own lines and each model's
/// stdout/stderr, each source in its own bounded ring (oldest dropped first), each with its own followers. Adding a
/// line never waits: a follower that falls behind is dropped (<see cref="FanOut"/>).
/// </summary>
internal sealed class LogBook(int ringChars, int followerQueueLines = 1024)
{
    private readonly OutputRing _own = new(ringChars);
    private readonly OutputRing _all = new(ringChars);
    private readonly ConcurrentDictionary<string, OutputRing> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FanOut> _modelFollowers = new(StringComparer.Ordinal);
    private readonly FanOut _allFollowers = new(followerQueueLines);

    /// <summary>Told every line after it is stored: (model id or null for tinyswap's own, text). Must not block.</summary>
    public Action<string?, ReadOnlySpan<char>>? LineAdded { get; set; }

    /// <summary>
    /// One of tinyswap's own log events, as <see cref="OwnLogLine"/> shows it. A plain event (every access line) is
    /// formatted on the stack and stored as characters: no string per request.
    /// </summary>
    public void AddOwn(LogLevel level, string category, ReadOnlySpan<char> message, Exception? exception)
    {
        var now = DateTime.UtcNow;
        if (!OwnLogLine.IsPlain(message, exception))
        {
            AddOwn(OwnLogLine.Format(now, level, category, message.ToString(), exception));
            return;
        }
        var length = OwnLogLine.MaxLength(category, message.Length);
        char[]? rented = null;
        var line = length <= StackLineChars ? stackalloc char[StackLineChars] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            AddOwn(line[..OwnLogLine.Write(line, now, level, category, message)]);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<char>.Shared.Return(rented);
        }
    }

    private const int StackLineChars = 512;

    /// <summary>A line of tinyswap's own log (already formatted, without the newline).</summary>
    public void AddOwn(ReadOnlySpan<char> line)
    {
        _own.Add(OutputStream.Stdout, line);
        _all.Add(OutputStream.Stdout, line);
        Publish(_allFollowers, line);
        LineAdded?.Invoke(null, line);
    }

    /// <summary>A line a model's process (or one of its hooks) wrote; <paramref name="stream"/> says which pipe.</summary>
    public void AddModel(string modelId, OutputStream stream, string line)
    {
        _models.GetOrAdd(modelId, _ => new OutputRing(ringChars)).Add(stream, line);
        var tagged = $"[{modelId}] {line}";
        _all.Add(stream, tagged);
        Publish(_allFollowers, tagged);
        if (_modelFollowers.TryGetValue(modelId, out var followers))
            Publish(followers, line);
        LineAdded?.Invoke(modelId, line);
    }

    /// <summary>
    /// Everything kept, oldest first, one line per line: all sources interleaved (model lines tagged <c>[id] </c>) when
    /// <paramref name="modelId"/> is null, else that model's output only.
    /// </summary>
    public string History(string? modelId)
    {
        var ring = modelId is null ? _all : _models.TryGetValue(modelId, out var found) ? found : null;
        if (ring is null)
            return "";
        var text = new StringBuilder();
        foreach (var line in ring.Last(int.MaxValue))
            text.Append(line).Append('\n');
        return text.ToString();
    }

    /// <summary>tinyswap's own lines only.</summary>
    public string OwnHistory()
    {
        var text = new StringBuilder();
        foreach (var line in _own.Last(int.MaxValue))
            text.Append(line).Append('\n');
        return text.ToString();
    }

    /// <summary>Follows new lines: every source's when <paramref name="modelId"/> is null, else one model's.</summary>
    public FanOutReader Follow(string? modelId) => modelId is null
        ? _allFollowers.Subscribe()
        : _modelFollowers.GetOrAdd(modelId, _ => new FanOut(followerQueueLines)).Subscribe();

    /// <summary>Followers dropped because they stopped reading, since start.</summary>
    public long DroppedFollowers
    {
        get
        {
            var dropped = _allFollowers.DroppedReaders;
            foreach (var followers in _modelFollowers.Values)
                dropped += followers.DroppedReaders;
            return dropped;
        }
    }

    /// <summary>Ends every follower's stream (shutdown), so open streams do not hold the server's drain.</summary>
    public void CloseFollowers()
    {
        _allFollowers.CloseAll();
        foreach (var followers in _modelFollowers.Values)
            followers.CloseAll();
    }

    private static void Publish(FanOut followers, ReadOnlySpan<char> line)
    {
        if (!followers.HasReaders)
            return;
        var bytes = new byte[Encoding.UTF8.GetByteCount(line) + 1];
        Encoding.UTF8.GetBytes(line, bytes);
        bytes[^1] = (byte)'\n';
        followers.Publish(bytes);
    }
}
