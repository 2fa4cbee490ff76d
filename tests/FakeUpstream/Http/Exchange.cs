using System.Buffers;
using System.Text.Json;

namespace FakeUpstream.Http;

/// <summary>One request/response pair as the routes see it, with per-connection scratch space for JSON.</summary>
internal sealed class Exchange
{
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly Utf8JsonWriter _writer;

    private readonly Func<UpgradedStream> _upgrade;

    public Exchange(ResponseWriter response, CancellationToken cancel, Func<UpgradedStream> upgrade)
    {
        Response = response;
        Cancel = cancel;
        _upgrade = upgrade;
        _writer = new Utf8JsonWriter(_json);
    }

    /// <summary>Hands the raw connection to the route (after it sends its 101 on it); the connection closes when the route returns.</summary>
    public UpgradedStream Upgrade()
    {
        Response.CloseAfter = true;
        return _upgrade();
    }

    public HttpRequest Request { get; private set; } = null!;
    public MessageBody Body { get; private set; } = null!;
    public ResponseWriter Response { get; }
    public ScratchBuffer Scratch { get; } = new();
    public CancellationToken Cancel { get; }

    public void Reset(HttpRequest request, MessageBody body)
    {
        Request = request;
        Body = body;
    }

    /// <summary>A reset writer for the next JSON answer; finish it with <see cref="SendJsonAsync"/>.</summary>
    public Utf8JsonWriter BeginJson()
    {
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        return _writer;
    }

    public ValueTask SendJsonAsync(int status)
    {
        _writer.Flush();
        return Response.SendAsync(status, "application/json; charset=utf-8", _json.WrittenSpan, Cancel);
    }

    /// <summary>The bytes of the JSON written since <see cref="BeginJson"/>, for a caller that frames them itself (SSE).</summary>
    public ReadOnlySpan<byte> FinishJson()
    {
        _writer.Flush();
        return _json.WrittenSpan;
    }

    /// <summary>An OpenAI-style error object: {"error":{"code":..,"message":..,"type":..}}.</summary>
    public ValueTask SendErrorAsync(int status, string message, string type = "invalid_request_error")
    {
        var json = BeginJson();
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteNumber("code", status);
        json.WriteString("message", message);
        json.WriteString("type", type);
        json.WriteEndObject();
        json.WriteEndObject();
        return SendJsonAsync(status);
    }

    /// <summary>Reads the whole (small) request body; the span stays valid until the next request on this connection.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync(int limit = 64 * 1024 * 1024)
    {
        var length = await Body.ReadAllAsync(Scratch, limit, Cancel);
        return Scratch.Array.AsMemory(0, length);
    }
}
