using System.Globalization;
using FakeUpstream.Http;

namespace FakeUpstream.Routes;

/// <summary>/upload and /bytes: large bodies in each direction, streamed, for proxy throughput and memory tests.</summary>
internal static class TransferRoutes
{
    public static async ValueTask UploadAsync(Exchange x)
    {
        var (length, checksum) = await BodyDigest.ReadAsync(x);
        var json = x.BeginJson();
        json.WriteStartObject();
        json.WriteNumber("bytes", length);
        json.WriteString("fnv1a64", checksum);
        json.WriteEndObject();
        await x.SendJsonAsync(200);
    }

    /// <summary>GET /bytes?n=N: N bytes of 'a'..'z' repeated, with a Content-Length.</summary>
    public static async ValueTask BytesAsync(Exchange x)
    {
        if (!long.TryParse(x.Request.QueryValue("n") ?? "0", NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            await x.SendErrorAsync(400, "n must be a non-negative whole number");
            return;
        }
        await x.Response.StartFixedAsync(200, "application/octet-stream", count, x.Cancel);
        // A whole number of alphabets, so byte i of the body is always 'a' + i % 26 across blocks.
        var block = new byte[26 * 2520];
        for (var i = 0; i < block.Length; i++)
            block[i] = (byte)('a' + i % 26);
        while (count > 0)
        {
            var n = (int)Math.Min(count, block.Length);
            await x.Response.SendRawAsync(block.AsMemory(0, n), x.Cancel);
            count -= n;
        }
    }
}

/// <summary>Reads a body to its end without keeping it, returning its length and FNV-1a 64 hash (lowercase hex).</summary>
internal static class BodyDigest
{
    public static async ValueTask<(long Length, string Checksum)> ReadAsync(Exchange x)
    {
        var hash = Fnv1a64.Offset;
        var buffer = x.Scratch.Array;
        int read;
        while ((read = await x.Body.ReadAsync(buffer, x.Cancel)) > 0)
            hash = Fnv1a64.Append(hash, buffer.AsSpan(0, read));
        return (x.Body.BytesRead, hash.ToString("x16", CultureInfo.InvariantCulture));
    }
}

/// <summary>FNV-1a 64: a checksum anyone can recompute in a few lines (no crypto library in an AOT test server).</summary>
internal static class Fnv1a64
{
    public const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static ulong Append(ulong hash, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
            hash = (hash ^ b) * Prime;
        return hash;
    }
}
