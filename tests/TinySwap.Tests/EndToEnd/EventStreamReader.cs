using System.Text;
using System.Text.Json;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>One event of GET /api/events: llama-swap's envelope type and its data, parsed from the JSON string it carries.</summary>
internal sealed record ConsoleEvent(string Type, JsonElement Data);

/// <summary>A client of GET /api/events over a raw connection: the head, then events (and heartbeat comments) as they come.</summary>
internal sealed class EventStreamReader : IDisposable
{
    private readonly RawHttpConnection _connection;
    private readonly StringBuilder _pending = new();

    private EventStreamReader(RawHttpConnection connection, RawHttpResponse head)
    {
        _connection = connection;
        Head = head;
    }

    public RawHttpResponse Head { get; }

    /// <summary>Every frame read so far, comments included (as their raw text).</summary>
    public List<string> Frames { get; } = [];

    public static async Task<EventStreamReader> OpenAsync(int port, string target = "/api/events")
    {
        var connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendRequestAsync("GET", target);
        var head = await connection.ReadResponseHeadAsync();
        return new EventStreamReader(connection, head);
    }

    /// <summary>
    /// Reads until an event matches (returning it); null when the stream ends first or nothing matched within
    /// <see cref="TinySwapServer.Generous"/> (heartbeats keep each read short, so the bound is on the whole wait).
    /// </summary>
    public async Task<ConsoleEvent?> WaitForAsync(Func<ConsoleEvent, bool> match)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TinySwapServer.Generous)
        {
            var text = _pending.ToString();
            var end = text.IndexOf("\n\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 2);
                var frame = text[..end];
                Frames.Add(frame);
                if (Parse(frame) is { } parsed && match(parsed))
                    return parsed;
                continue;
            }
            if (await _connection.ReadChunkAsync() is not { } chunk)
                return null;
            _pending.Append(Encoding.UTF8.GetString(chunk));
        }
        return null;
    }

    private static ConsoleEvent? Parse(string frame)
    {
        var data = frame.Split('\n').FirstOrDefault(line => line.StartsWith("data:", StringComparison.Ordinal));
        if (data is null)
            return null;
        var envelope = JsonDocument.Parse(data[5..]).RootElement;
        var inner = JsonDocument.Parse(envelope.GetProperty("data").GetString()!).RootElement;
        return new ConsoleEvent(envelope.GetProperty("type").GetString()!, inner);
    }

    public static string? StateOf(ConsoleEvent modelStatus, string model) => modelStatus.Data.EnumerateArray()
        .Where(m => m.GetProperty("id").GetString() == model).Select(m => m.GetProperty("state").GetString()).FirstOrDefault();

    public void Dispose() => _connection.Dispose();
}
