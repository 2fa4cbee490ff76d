using System.Text;
using System.Text.Json;

namespace TinySwap.Tests.Support;

/// <summary>A response as it came off the wire: status, headers in order, the de-chunked body, and the chunks themselves.</summary>
internal sealed class RawHttpResponse
{
    public required string Version { get; init; }
    public required int Status { get; init; }
    public required string Reason { get; init; }
    public required List<KeyValuePair<string, string>> Headers { get; init; }
    public required byte[] Body { get; init; }

    /// <summary>Data of each chunk as received when the body was chunked (SSE tests count events per chunk); else empty.</summary>
    public required List<byte[]> Chunks { get; init; }

    /// <summary>Statuses of 1xx interim responses that came before this one (e.g. 100 Continue).</summary>
    public required List<int> InterimStatuses { get; init; }

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"{Version} {Status} {Reason} ({Body.Length} body bytes): {BodyText}";
}
