using TinySwap.Http.Server;

namespace TinySwap.Api.Ui;

/// <summary>
/// GET /ui/: the one-file page (HTML with its CSS and script inline), embedded in the binary so it works offline
/// and needs no build step. Served with a strong ETag (a hash of the bytes) so a browser revalidates for free.
/// </summary>
internal static class WebPage
{
    private const string ResourceName = "tinyswap.ui.html";

    private static readonly Lazy<(byte[] Body, byte[] ETag)> Page = new(Load);

    // The page loads nothing from elsewhere; this keeps it so if a log line ever smuggled markup into it.
    private static ReadOnlySpan<byte> Policy =>
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"u8;

    public static ValueTask WriteAsync(HttpExchange exchange)
    {
        var (body, etag) = Page.Value;
        var response = exchange.Response;
        response.AddHeader("ETag"u8, etag);
        response.AddHeader("Cache-Control"u8, "no-cache"u8);
        if (exchange.Request.TryGetHeader("if-none-match"u8, out var match) && match.IndexOf(etag) >= 0)
        {
            response.StatusCode = 304;
            return response.CompleteAsync();
        }
        response.AddHeader("Content-Type"u8, "text/html; charset=utf-8"u8);
        response.AddHeader("Content-Security-Policy"u8, Policy);
        response.AddHeader("X-Content-Type-Options"u8, "nosniff"u8);
        response.AddHeader("Referrer-Policy"u8, "no-referrer"u8);
        response.ContentLength = body.Length;
        response.Write(body);
        return response.CompleteAsync();
    }

    /// <summary>GET / and /ui: to the page (302, as llama-swap's root does).</summary>
    public static ValueTask RedirectAsync(HttpExchange exchange)
    {
        var response = exchange.Response;
        response.StatusCode = 302;
        response.AddHeader("Location"u8, "/ui/"u8);
        return response.CompleteAsync();
    }

    // Names these exact bytes (the page changes only with the binary). Not SHA-256: that is OpenSSL's at run time
    // in an AOT build, a library a minimal system may lack, for a value that needs no secrecy.
    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
            hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }

    private static (byte[], byte[]) Load()
    {
        using var stream = typeof(WebPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the page resource {ResourceName} is missing from the build");
        var body = new byte[stream.Length];
        stream.ReadExactly(body);
        return (body, System.Text.Encoding.ASCII.GetBytes($"\"{body.Length:x}-{Fnv1a(body):x16}\""));
    }
}
