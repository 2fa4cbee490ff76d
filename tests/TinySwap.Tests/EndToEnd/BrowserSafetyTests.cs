using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>dist/tinyswap with a default config (no apiKeys, no allowedHosts, no cors) against what a web page can send.</summary>
public sealed class BrowserSafetyTests
{
    private static async Task<RawHttpResponse> SendAsync(int port, string head, string body = "")
    {
        using var connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendAsync(head.Replace("\n", "\r\n") + $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n" + body);
        return await connection.ReadResponseAsync();
    }

    [Fact]
    public async Task ForeignPages_CannotUnloadOrReadRunning_WhileTheUserAndSdksCan()
    {
        var model = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model));
        await TinySwapApi.LoadAsync(tinyswap.Port, "a");
        var port = tinyswap.Port;

        // A <form enctype="text/plain" method="post"> on another site: no preflight, so only tinyswap can say no.
        var formPost = await SendAsync(port, $"POST /api/models/unload HTTP/1.1\nHost: localhost:{port}\nContent-Type: text/plain\nOrigin: https://evil.example\nSec-Fetch-Site: cross-site\n", "x=y");
        // DNS rebinding: evil.example now resolves to 127.0.0.1.
        var rebound = await SendAsync(port, $"GET /running HTTP/1.1\nHost: evil.example:{port}\n");
        var models = await SendAsync(port, $"GET /v1/models HTTP/1.1\nHost: localhost:{port}\nOrigin: https://evil.example\n");

        Assert.Equal(403, formPost.Status);
        Assert.Equal(421, rebound.Status);
        Assert.DoesNotContain("--port", rebound.BodyText);
        Assert.Equal(200, models.Status);
        Assert.DoesNotContain(models.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.Single(await TinySwapApi.RunningAsync(port));

        // The page's own origin (the future /ui/), and a client that is not a browser, are served.
        var samePage = await SendAsync(port, $"POST /api/models/unload/a HTTP/1.1\nHost: 127.0.0.1:{port}\nOrigin: http://127.0.0.1:{port}\nSec-Fetch-Site: same-origin\n");
        Assert.Equal(200, samePage.Status);
        Assert.Empty(await TinySwapApi.RunningAsync(port));
        var sdk = await TinySwapApi.CompleteAsync(port, "a");
        Assert.True(sdk.Status == 200, sdk.ToString());
    }
}
