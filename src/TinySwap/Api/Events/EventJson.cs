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
    public static byte[] ModelStatus(TinySwapConfig config, IReadOnlyList<ModelStatus> snapshot) => Frame("modelStatus"u8, json =>
    {
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
    });

    /// <summary>
    /// <c>logData</c> as llama-swap sends it (<c>source</c> "proxy" for tinyswap's own lines, "upstream" for a model's),
    /// plus <c>model</c> naming which model wrote an upstream line.
    /// </summary>
    public static byte[] LogData(string? modelId, string text) => Frame("logData"u8, json =>
    {
        json.WriteStartObject();
        json.WriteString("source"u8, modelId is null ? "proxy"u8 : "upstream"u8);
        if (modelId is not null)
            json.WriteString("model"u8, modelId);
        json.WriteString("data"u8, text);
        json.WriteEndObject();
    });

    /// <summary>
    /// <c>stateChange</c> (tinyswap's): one model moved from one state to another after <c>seconds</c> in the old one;
    /// starting → ready is a load (a swap's cost), ready → stopping an eviction.
    /// </summary>
    public static byte[] StateChange(string modelId, ModelState from, ModelState to, double seconds) => Frame("stateChange"u8, json =>
    {
        json.WriteStartObject();
        json.WriteString("model"u8, modelId);
        json.WriteString("from"u8, ModelStateNames.Utf8(from));
        json.WriteString("to"u8, ModelStateNames.Utf8(to));
        json.WriteNumber("seconds"u8, Math.Round(seconds, 3));
        json.WriteEndObject();
    });

    /// <summary><c>request</c> (tinyswap's): one finished request, what the activity list records.</summary>
    public static byte[] Request(in FinishedRequest request) => Frame("request"u8, (json, r) =>
    {
        json.WriteStartObject();
        json.WriteNumber("id"u8, r.Id);
        json.WriteString("model"u8, r.Model ?? "");
        json.WriteString("route"u8, r.Route);
        json.WriteNumber("status"u8, r.Status);
        json.WriteNumber("seconds"u8, Math.Round(r.Seconds, 4));
        json.WriteNumber("firstByteSeconds"u8, Math.Round(r.FirstByteSeconds, 4));
        json.WriteNumber("promptTokens"u8, r.PromptTokens);
        json.WriteNumber("generatedTokens"u8, r.GeneratedTokens);
        json.WriteNumber("tokensPerSecond"u8, Math.Round(r.TokensPerSecond, 2));
        json.WriteEndObject();
    }, request);

    /// <summary><c>swap</c> (tinyswap's): the router began starting <c>model</c>, stopping <c>evicted</c> to make room.</summary>
    public static byte[] Swap(string modelId, ReadOnlySpan<string> evicted, string reason)
    {
        var names = evicted.ToArray();
        return Frame("swap"u8, json =>
        {
            json.WriteStartObject();
            json.WriteString("model"u8, modelId);
            json.WriteString("reason"u8, reason);
            json.WriteStartArray("evicted"u8);
            foreach (var name in names)
                json.WriteStringValue(name);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static byte[] Frame(ReadOnlySpan<byte> type, Action<Utf8JsonWriter> writeData) => Frame(type, static (json, write) => write(json), writeData);

    private static byte[] Frame<T>(ReadOnlySpan<byte> type, Action<Utf8JsonWriter, T> writeData, T state)
    {
        var inner = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(inner, ApiJson.WriterOptions))
            writeData(json, state);
        var outer = new ArrayBufferWriter<byte>(inner.WrittenCount + 64);
        outer.Write("event:message\ndata:"u8);
        using (var json = new Utf8JsonWriter(outer, ApiJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("type"u8, type);
            json.WriteString("data"u8, inner.WrittenSpan);
            json.WriteEndObject();
        }
        outer.Write("\n\n"u8);
        return outer.WrittenSpan.ToArray();
    }
}

/// <summary>What the events stream says about one finished request (filled from the observation seam's request trace).</summary>
internal readonly record struct FinishedRequest(long Id, string? Model, string Route, int Status, double Seconds, double FirstByteSeconds,
    long PromptTokens, long GeneratedTokens, double TokensPerSecond);
