using TinySwap.Tests.Http.Support;

namespace TinySwap.Tests.Proxy.Security;

/// <summary>Issue 10 item 4 through the real front door: what a foreign web page can no longer do, and what still works.</summary>
public sealed class FrontDoorBrowserTests
{
    private const string Chat = """{"model":"a","messages":[]}""";

    [Theory]
    [InlineData("/api/models/unload")]
    [InlineData("/api/models/unload/a")]
    [InlineData("/api/models/load/a")]
    public async Task CrossSiteSimplePost_ToTheModelApi_IsRefusedAndNotExecuted(string path)
    {
        await using var door = new FrontDoor();
        // What a <form enctype="text/plain"> on another site sends: no preflight, so no CORS can stop it.
        var response = await door.SendAsync("POST", path, "localhost:8080", "x=y",
            "Content-Type: text/plain", "Origin: http://evil.example", "Sec-Fetch-Site: cross-site");

        Assert.Equal(403, response.Status);
        Assert.Contains("\"permission_error\"", response.BodyText);
        Assert.Empty(door.Control.Calls);
    }

    [Fact]
    public async Task CrossSiteSimplePost_ToAChatRoute_NeverReachesTheModel()
    {
        await using var door = new FrontDoor();
        var response = await door.SendAsync("POST", "/v1/chat/completions", "127.0.0.1:8080", Chat,
            "Content-Type: text/plain", "Origin: http://evil.example");

        Assert.Equal(403, response.Status);
        Assert.Empty(door.Received);
    }

    [Fact]
    public async Task CrossSiteGet_OfAModelsWebUi_IsRefusedByFetchMetadata()
    {
        await using var door = new FrontDoor();
        var response = await door.SendAsync("GET", "/upstream/a/", "localhost:8080", "", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors");

        Assert.Equal(403, response.Status);
        Assert.Empty(door.Received);
    }

    [Theory]
    [InlineData("GET", "/running")]
    [InlineData("GET", "/v1/models")]
    [InlineData("POST", "/v1/chat/completions")]
    public async Task ReboundHostName_IsMisdirected(string method, string path)
    {
        await using var door = new FrontDoor();
        // DNS rebinding: evil.example now resolves to 127.0.0.1 and its page is "same-origin" with us.
        var response = await door.SendAsync(method, path, "evil.example:8080", method == "POST" ? Chat : "", "Origin: http://evil.example:8080");

        Assert.Equal(421, response.Status);
        Assert.Contains("host_not_allowed", response.BodyText);
        Assert.Empty(door.Received);
    }

    [Fact]
    public async Task ReboundHostName_StillGetsHealth()
    {
        await using var door = new FrontDoor();
        Assert.Equal(200, (await door.SendAsync("GET", "/health", "tinyswap-container:8080")).Status);
    }

    [Fact]
    public async Task EmptyHost_IsABadRequest()
    {
        await using var door = new FrontDoor();
        Assert.Equal(400, (await door.SendAsync("GET", "/v1/models", "")).Status);
    }

    [Fact]
    public async Task AllowedHostsName_IsServed()
    {
        await using var door = new FrontDoor(c => c with { AllowedHosts = ["llm.example.com"] });
        Assert.Equal(200, (await door.SendAsync("GET", "/v1/models", "llm.example.com")).Status);
        Assert.Equal(421, (await door.SendAsync("GET", "/v1/models", "other.example.com")).Status);
    }

    [Fact]
    public async Task SameOriginPage_CanUseEverything()
    {
        await using var door = new FrontDoor();
        string[] page = ["Origin: http://localhost:8080", "Sec-Fetch-Site: same-origin", "Content-Type: application/json"];

        var chat = await door.SendAsync("POST", "/v1/chat/completions", "localhost:8080", Chat, page);
        var unload = await door.SendAsync("POST", "/api/models/unload", "localhost:8080", "", page);

        Assert.Equal(200, chat.Status);
        Assert.Equal(200, unload.Status);
        Assert.Single(door.Received);
        Assert.Equal(["unload all"], door.Control.Calls);
        Assert.Null(chat.Header("Access-Control-Allow-Origin"));   // same-origin needs no CORS
    }

    [Fact]
    public async Task NonBrowserClient_IsUnaffected()
    {
        await using var door = new FrontDoor();
        var chat = await door.SendAsync("POST", "/v1/chat/completions", "127.0.0.1:8080", Chat, "Content-Type: application/json");
        var load = await door.SendAsync("POST", "/api/models/load/a", "localhost", "");

        Assert.Equal(200, chat.Status);
        Assert.Equal(200, load.Status);
    }

    [Fact]
    public async Task WithoutCorsConfig_NoAccessControlHeaderAnywhere()
    {
        await using var door = new FrontDoor();
        string[] foreign = ["Origin: http://localhost:3000"];

        var models = await door.SendAsync("GET", "/v1/models", "localhost:8080", "", foreign);
        var preflight = await door.SendAsync("OPTIONS", "/v1/chat/completions", "localhost:8080", "",
            "Origin: http://localhost:3000", "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: content-type");
        // The upstream answers Access-Control-Allow-Origin: * itself; it must not pass through.
        var proxied = await door.SendAsync("POST", "/v1/chat/completions", "localhost:8080", Chat);

        Assert.Equal(200, models.Status);
        Assert.Equal(204, preflight.Status);
        Assert.Equal(200, proxied.Status);
        foreach (var response in (RawResponse[])[models, preflight, proxied])
            Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task WithCorsConfig_AllowedOriginGetsItsOwnOriginEchoed_OthersNothing()
    {
        await using var door = new FrontDoor(c => c with { CorsAllowOrigins = ["http://localhost:3000"] });

        var preflight = await door.SendAsync("OPTIONS", "/v1/chat/completions", "localhost:8080", "",
            "Origin: http://localhost:3000", "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: authorization, content-type, x-stainless-os");
        var chat = await door.SendAsync("POST", "/v1/chat/completions", "localhost:8080", Chat,
            "Origin: http://localhost:3000", "Sec-Fetch-Site: same-site", "Content-Type: application/json");
        var other = await door.SendAsync("POST", "/v1/chat/completions", "localhost:8080", Chat, "Origin: http://localhost:3001");
        var otherPreflight = await door.SendAsync("OPTIONS", "/v1/chat/completions", "localhost:8080", "",
            "Origin: http://localhost:3001", "Access-Control-Request-Method: POST");

        Assert.Equal(204, preflight.Status);
        Assert.Equal("http://localhost:3000", preflight.Header("Access-Control-Allow-Origin"));
        Assert.Equal("Origin", preflight.Header("Vary"));
        Assert.Equal("POST, OPTIONS", preflight.Header("Access-Control-Allow-Methods"));
        Assert.Equal("authorization, content-type, x-stainless-os", preflight.Header("Access-Control-Allow-Headers"));
        Assert.Null(preflight.Header("Access-Control-Allow-Credentials"));

        Assert.Equal(200, chat.Status);
        Assert.Equal(["http://localhost:3000"], chat.Headers.Where(h => h.Key.Equals("Access-Control-Allow-Origin", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value));

        Assert.Equal(403, other.Status);
        Assert.Null(other.Header("Access-Control-Allow-Origin"));
        Assert.Null(otherPreflight.Header("Access-Control-Allow-Origin"));
        Assert.Null(otherPreflight.Header("Access-Control-Allow-Methods"));
        Assert.Single(door.Received);
    }
}
