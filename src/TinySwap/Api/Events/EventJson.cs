using System.Buffers;
using System.Text.Json;
using TinySwap.Config;
using TinySwap.Contracts;

namespace TinySwap.Api.Events;

/// <summary>
/// The frames of GET /api/events in llama-swap's envelope, so its UI and scripts read them:
/// <c>event:message\ndata:{"type":"…","data":"&lt;JSON as a string&gt;"}\n\n</c>. The inner JSON is written once per
/// event and the finished frame is shared by every subscriber.
/// </summary>
internal static class EventJson
{
    /// <summary>An SSE comment: keeps proxies and idle timeouts from closing a quiet stream (and finds dead clients).</summary>
    public static readonly byte[] Heartbeat = ": ping\n\n"u8.ToArray();

    /// <summary><c>modelStatus</c>: every configured model with its state (llama-swap's fields, plus pid, inFlight, queued, failure).</summary>
    public static byte[] ModelStatus(TinySwapConfig config, IReadOnlyList<ModelStatus> snapshot)
    {
        var json = BeginData();
        json.WriteStartArray();
        foreach (var status in snapshot)
        {
            var model = config.FindModel(status.Id);
            json.WriteStartObject();
            json.WriteString("id"u8, status.Id);
            json.WriteString("name"u8, model?.Name ?? "");
            json.WriteString("description"u8, model?.Description ?? "");
            json.WriteString("state"u8, ModelStateNames.Utf8(status.State));
            json.WriteBoolean("unlisted"u8, model?.Unlisted ?? false);
            json.WriteString("peerID"u8, "");
            if (status.Pid is { } pid)
                json.WriteNumber("pid"u8, pid);
            json.WriteNumber("inFlight"u8, status.InFlight);
            json.WriteNumber("queued"u8, status.Queued);
            if (status.FailureReason is { } reason)
                json.WriteString("failure"u8, reason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        return EndFrame("modelStatus"u8);
    }

    /// <summary>
    /// <c>logData</c> as llama-swap sends it (<c>source</c> "proxy" for tinyswap's own lines, "upstream" for a model's),
    /// plus <c>model</c> naming which model wrote an upstream line. <paramref name="text"/> is sent as given, with
    /// <paramref name="newline"/> after it when asked (one log line).
    /// </summary>
    public static byte[] LogData(string? modelId, ReadOnlySpan<char> text, bool newline = false)
    {
        var json = BeginData();
        json.WriteStartObject();
        json.WriteString("source"u8, modelId is null ? "proxy"u8 : "upstream"u8);
        if (modelId is not null)
            json.WriteString("model"u8, modelId);
        json.WritePropertyName("data"u8);
        json.WriteStringValueSegment(text, isFinalSegment: !newline);
        if (newline)
            json.WriteStringValueSegment("\n", isFinalSegment: true);
        json.WriteEndObject();
        return EndFrame("logData"u8);
    }

    /// <summary>
    /// <c>stateChange</c> (tinyswap's): one model moved from one state to another after <c>seconds</c> in the old one;
    /// starting → ready is a load (a swap's cost), ready → stopping an eviction.
    /// </summary>
    public static byte[] StateChange(string modelId, ModelState from, ModelState to, double seconds)
    {
        var json = BeginData();
        json.WriteStartObject();
        json.WriteString("model"u8, modelId);
        json.WriteString("from"u8, ModelStateNames.Utf8(from));
        json.WriteString("to"u8, ModelStateNames.Utf8(to));
        json.WriteNumber("seconds"u8, Math.Round(seconds, 3));
        json.WriteEndObject();
        return EndFrame("stateChange"u8);
    }

    /// <summary><c>request</c> (tinyswap's): one finished request, what the activity list records.</summary>
    public static byte[] Request(in FinishedRequest request)
    {
        var json = BeginData();
        json.WriteStartObject();
        json.WriteNumber("id"u8, request.Id);
        json.WriteString("model"u8, request.Model ?? "");
        json.WriteString("route"u8, request.Route);
        json.WriteNumber("status"u8, request.Status);
        json.WriteNumber("seconds"u8, Math.Round(request.Seconds, 4));
        json.WriteNumber("firstByteSeconds"u8, Math.Round(request.FirstByteSeconds, 4));
        json.WriteNumber("promptTokens"u8, request.PromptTokens);
        json.WriteNumber("generatedTokens"u8, request.GeneratedTokens);
        json.WriteNumber("tokensPerSecond"u8, Math.Round(request.TokensPerSecond, 2));
        json.WriteEndObject();
        return EndFrame("request"u8);
    }

    /// <summary>
    /// <c>requestsOmitted</c> (tinyswap's): <c>count</c> requests finished without a <c>request</c> event of their own,
    /// the stream sending at most <c>perSecond</c>; GET /api/metrics/activity and /metrics still count every one.
    /// </summary>
    public static byte[] RequestsOmitted(long count, int perSecond)
    {
        var json = BeginData();
        json.WriteStartObject();
        json.WriteNumber("count"u8, count);
        json.WriteNumber("perSecond"u8, perSecond);
        json.WriteEndObject();
        return EndFrame("requestsOmitted"u8);
    }

    /// <summary><c>swap</c> (tinyswap's): the router began starting <c>model</c>, stopping <c>evicted</c> to make room.</summary>
    public static byte[] Swap(string modelId, ReadOnlySpan<string> evicted, string reason)
    {
        var json = BeginData();
        json.WriteStartObject();
        json.WriteString("model"u8, modelId);
        json.WriteString("reason"u8, reason);
        json.WriteStartArray("evicted"u8);
        foreach (var name in evicted)
            json.WriteStringValue(name);
        json.WriteEndArray();
        json.WriteEndObject();
        return EndFrame("swap"u8);
    }

    // Writers kept per thread and reset for each frame: a busy proxy makes two frames per request (its `request` and
    // its access line), and new writers and buffers for each were most of what the events cost the GC. Frames are
    // built on whatever thread publishes (the event loop, the router loop, a child's output reader), one at a time.
    [ThreadStatic]
    private static FrameWriters? t_writers;

    // A writer grown past this by one large frame (a new listener's log history) is not kept.
    private const int MaxKeptBytes = 64 * 1024;

    /// <summary>Starts a frame: the writer for its inner JSON (the <c>data</c> string of the envelope).</summary>
    private static Utf8JsonWriter BeginData()
    {
        var writers = t_writers ??= new FrameWriters();
        writers.Inner.ResetWrittenCount();
        writers.InnerJson.Reset(writers.Inner);
        return writers.InnerJson;
    }

    /// <summary>Wraps the inner JSON in llama-swap's envelope and SSE framing: the bytes every subscriber shares.</summary>
    private static byte[] EndFrame(ReadOnlySpan<byte> type)
    {
        var writers = t_writers!;
        writers.InnerJson.Flush();
        var outer = writers.Outer;
        outer.ResetWrittenCount();
        outer.Write("event:message\ndata:"u8);
        var json = writers.OuterJson;
        json.Reset(outer);
        json.WriteStartObject();
        json.WriteString("type"u8, type);
        json.WriteString("data"u8, writers.Inner.WrittenSpan);
        json.WriteEndObject();
        json.Flush();
        outer.Write("\n\n"u8);
        var frame = outer.WrittenSpan.ToArray();
        if (outer.Capacity > MaxKeptBytes || writers.Inner.Capacity > MaxKeptBytes)
            t_writers = null;
        return frame;
    }

    private sealed class FrameWriters
    {
        public readonly ArrayBufferWriter<byte> Inner = new(256);
        public readonly ArrayBufferWriter<byte> Outer = new(512);
        public readonly Utf8JsonWriter InnerJson;
        public readonly Utf8JsonWriter OuterJson;

        public FrameWriters()
        {
            InnerJson = new Utf8JsonWriter(Inner, ApiJson.WriterOptions);
            OuterJson = new Utf8JsonWriter(Outer, ApiJson.WriterOptions);
        }
    }
}

/// <summary>What the events stream says about one finished request (filled from the observation seam's request trace).</summary>
internal readonly record struct FinishedRequest(long Id, string? Model, string Route, int Status, double Seconds, double FirstByteSeconds,
    long PromptTokens, long GeneratedTokens, double TokensPerSecond);
