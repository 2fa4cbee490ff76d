using System.Globalization;
using FakeUpstream.Http;

namespace FakeUpstream.Routes;

/// <summary>/echo and the catch-all: what arrived (method, target, headers in order, body size and checksum).</summary>
internal static class EchoRoute
{
    public static async ValueTask EchoAsync(Exchange x)
    {
        var (length, checksum) = await BodyDigest.ReadAsync(x);
        var request = x.Request;
        var json = x.BeginJson();
        json.WriteStartObject();
        json.WriteString("route", request.Path == "/echo" ? "echo" : "catch-all");
        json.WriteString("method", request.Method);
        json.WriteString("target", request.Target);
        json.WriteString("path", request.Path);
        json.WriteString("query", request.Query);
        json.WriteString("version", request.Version);
        // Pairs in arrival order, names as sent: proxy tests check order, case and duplicates.
        json.WriteStartArray("headers");
        foreach (var (name, value) in request.Headers)
        {
            json.WriteStartArray();
            json.WriteStringValue(name);
            json.WriteStringValue(value);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteNumber("body_length", length);
        json.WriteString("body_fnv1a64", checksum);
        json.WriteEndObject();
        await x.SendJsonAsync(200);
    }

    /// <summary>/body/…: answers the request body exactly as it arrived (a model behind <c>proxy: …/body</c> shows what tinyswap sent it).</summary>
    public static async ValueTask BodyAsync(Exchange x)
    {
        var body = await x.ReadBodyAsync();
        await x.Response.SendAsync(200, "application/json", body.Span, x.Cancel);
    }

    /// <summary>/status/{code}: answers that status with a small JSON body, for tests of error pass-through.</summary>
    public static ValueTask StatusAsync(Exchange x)
    {
        if (!int.TryParse(x.Request.Path["/status/".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            || status < 200 || status > 599)
            return x.SendErrorAsync(400, "status must be 200..599");
        var json = x.BeginJson();
        json.WriteStartObject();
        json.WriteNumber("status", status);
        json.WriteEndObject();
        return x.SendJsonAsync(status);
    }
}
