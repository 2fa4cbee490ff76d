using System.Buffers;
using System.Text.Json;
using TinySwap.Config;
using TinySwap.Http;
using TinySwap.Http.Buffers;
using TinySwap.Http.Parsing;
using TinySwap.Http.Server;
using TinySwap.Http.Transport;

namespace TinySwap.Api;

/// <summary>llama-swap's profile endpoints: <c>GET /api/profiles</c> and <c>PUT /api/profiles/active</c>, same shapes and statuses.</summary>
internal sealed partial class ApiHandler
{
    /// <summary>A name is a short string; anything longer than this is not a profile request.</summary>
    private const int MaxProfileRequestBytes = 16 * 1024;

    /// <summary><c>{"active": name|null, "profiles": [{"id","description","pins":{pin: target, "" when switched off}}]}</c>, sorted by id.</summary>
    private ValueTask WriteProfilesAsync(HttpExchange exchange, TinySwapConfig config)
    {
        using var body = new PooledBuffer();
        using (var json = new Utf8JsonWriter(body, ApiJson.WriterOptions))
        {
            json.WriteStartObject();
            WriteActive(json, _profiles.For(config));
            json.WriteStartArray("profiles"u8);
            foreach (var profile in config.Profiles)
            {
                json.WriteStartObject();
                json.WriteString("id"u8, profile.Name);
                json.WriteString("description"u8, profile.Description);
                json.WriteStartObject("pins"u8);
                foreach (var (pin, target) in profile.Pins)
                    json.WriteString(pin, target ?? "");
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return WriteAsync(exchange, ApiReplies.JsonContentType, body.WrittenSpan);
    }

    /// <summary>
    /// <c>{"name": "coding"}</c> activates a profile, <c>{"name": null}</c> or <c>""</c> deactivates; answers the new
    /// <c>{"active": ...}</c>. A body that is not such an object is 400, an unknown name 404, as llama-swap answers.
    /// </summary>
    private async ValueTask ActivateProfileAsync(HttpExchange exchange, TinySwapConfig config)
    {
        using var body = new PooledBuffer();
        if (!await ReadSmallBodyAsync(exchange, body))
            return;
        var request = ProfileRequest.Parse(body.WrittenSpan);
        if (request.Error is { } error)
        {
            await ErrorResponse.WriteAsync(exchange, OpenAiError.BadRequest, error);
            return;
        }
        ProfileConfig? profile = null;
        if (!string.IsNullOrEmpty(request.Name) && (profile = config.FindProfile(request.Name)) is null)
        {
            await ErrorResponse.WriteAsync(exchange, OpenAiError.NotFound, $"profile \"{request.Name}\" not found");
            return;
        }
        _profiles.Select(config, profile);

        using var reply = new PooledBuffer();
        using (var json = new Utf8JsonWriter(reply, ApiJson.WriterOptions))
        {
            json.WriteStartObject();
            WriteActive(json, profile);
            json.WriteEndObject();
        }
        await WriteAsync(exchange, ApiReplies.JsonContentType, reply.WrittenSpan);
    }

    private static void WriteActive(Utf8JsonWriter json, ProfileConfig? active)
    {
        if (active is null)
            json.WriteNull("active"u8);
        else
            json.WriteString("active"u8, active.Name);
    }

    /// <summary>Reads a body of at most <see cref="MaxProfileRequestBytes"/>; false when it was answered (413, a bad body) or the client left.</summary>
    private static async ValueTask<bool> ReadSmallBodyAsync(HttpExchange exchange, PooledBuffer into)
    {
        var body = exchange.RequestBody;
        try
        {
            while (!body.IsCompleted)
            {
                var read = await body.ReadAsync(exchange.Aborted);
                if (into.WrittenCount + read.Buffer.Length > MaxProfileRequestBytes)
                {
                    exchange.Response.DisableKeepAlive();
                    await ErrorResponse.WriteAsync(exchange, OpenAiError.PayloadTooLarge, $"a profile request is at most {MaxProfileRequestBytes} bytes");
                    return false;
                }
                into.Write(read.Buffer);
                body.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                    break;
            }
            return true;
        }
        catch (HttpRejectedException rejected)
        {
            exchange.Response.DisableKeepAlive();
            await ErrorResponse.WriteAsync(exchange, OpenAiError.ForStatus(HttpRejections.StatusCode(rejected.Reason)), HttpRejections.Describe(rejected.Reason));
            return false;
        }
        catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
        {
            exchange.Abort();
            return false;
        }
    }
}

/// <summary>The body of <c>PUT /api/profiles/active</c>: the requested name (null or "" for none), or why it is not one.</summary>
internal readonly record struct ProfileRequest(string? Name, string? Error)
{
    /// <summary>Reads <c>{"name": string|null, ...}</c> as llama-swap does: other members are ignored, the last <c>name</c> counts.</summary>
    public static ProfileRequest Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return new(null, "invalid profile request");
            var found = false;
            string? name = null;
            var nameIsText = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isName = reader.ValueTextEquals("name"u8);
                reader.Read();
                if (isName)
                {
                    found = true;
                    nameIsText = reader.TokenType is JsonTokenType.String or JsonTokenType.Null;
                    name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                reader.Skip();
            }
            // The whole body must be that one object (a JSON decoder reads one value; trailing garbage is not a request).
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return new(null, "invalid profile request");
            if (!found)
                return new(null, "profile name is required");
            return nameIsText ? new(name, null) : new(null, "profile name must be a string or null");
        }
        catch (JsonException)
        {
            return new(null, "invalid profile request");
        }
    }
}
