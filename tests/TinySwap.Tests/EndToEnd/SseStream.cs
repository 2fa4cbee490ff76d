using System.Text;
using System.Text.Json;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>
/// A streamed completion followed event by event as it arrives over its own connection (chunk boundaries need not
/// match event boundaries). ReadEventAsync throws IOException when the body is cut short.
/// </summary>
internal sealed class SseStream : IDisposable
{
    private readonly RawHttpConnection _connection;
    private readonly StringBuilder _pending = new();
    private bool _ended;

    private SseStream(RawHttpConnection connection, RawHttpResponse head)
    {
        _connection = connection;
        Head = head;
    }

    public RawHttpResponse Head { get; }

    /// <summary>Posts <paramref name="json"/> to /v1/chat/completions and reads the response head.</summary>
    public static async Task<SseStream> OpenAsync(int port, string json, params string[] headers)
    {
        var connection = await RawHttpConnection.OpenAsync(port);
        try
        {
            await connection.SendRequestAsync("POST", "/v1/chat/completions", Encoding.UTF8.GetBytes(json), "application/json", headers);
            var head = await connection.ReadResponseHeadAsync();
            Assert.True(head.Status == 200, $"stream answered {head}");
            return new SseStream(connection, head);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The next event's data, or null after the body's last chunk.</summary>
    public async Task<string?> ReadEventAsync()
    {
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf("\n\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 2);
                var block = text[..end];
                return block.StartsWith("data: ", StringComparison.Ordinal) ? block["data: ".Length..] : block;
            }
            if (_ended)
            {
                Assert.True(_pending.Length == 0, $"the body ended inside an event: '{_pending}'");
                return null;
            }
            if (await _connection.ReadChunkAsync() is { } chunk)
                _pending.Append(Encoding.UTF8.GetString(chunk));
            else
                _ended = true;
        }
    }

    /// <summary>Every remaining event up to the end of the body.</summary>
    public async Task<List<string>> ReadToEndAsync()
    {
        var events = new List<string>();
        while (await ReadEventAsync() is { } data)
            events.Add(data);
        return events;
    }

    /// <summary>The stream's `seq` numbers, checking that every event but the last `[DONE]` is a completion chunk of <paramref name="servedBy"/>.</summary>
    public static List<int> Sequence(IEnumerable<string> events, string servedBy) =>
        events.Where(e => e != "[DONE]").Select(e =>
        {
            var json = SseEvents.Json(e);
            Assert.Equal(servedBy, json.GetProperty("served_by").GetString());
            return json.GetProperty("seq").GetInt32();
        }).ToList();

    public void Dispose() => _connection.Dispose();
}
