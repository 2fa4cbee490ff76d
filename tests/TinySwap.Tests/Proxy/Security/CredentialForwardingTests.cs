using TinySwap.Proxy.Forwarding;

namespace TinySwap.Tests.Proxy.Security;

/// <summary>Issue 10 item 5: which credentials the model's server receives, asserted on what it received.</summary>
public sealed class CredentialForwardingTests
{
    private const string Chat = """{"model":"a"}""";

    [Fact]
    public async Task WithApiKeys_TheClientsKeyHeadersAndProxyAuthorizationStayHere_CookieGoesOn()
    {
        await using var door = new FrontDoor(c => c with { ApiKeys = ["sk-ours"] });
        var response = await door.SendAsync("POST", "/v1/chat/completions", "localhost", Chat,
            "Authorization: Bearer sk-ours", "x-api-key: sk-ours", "Proxy-Authorization: Basic dXNlcjpwYXNz", "Cookie: session=1");

        Assert.Equal(200, response.Status);
        var received = Assert.Single(door.Received);
        Assert.Null(received.Header("Authorization"));
        Assert.Null(received.Header("x-api-key"));
        Assert.Null(received.Header("Proxy-Authorization"));
        Assert.Equal("session=1", received.Header("Cookie"));
    }

    [Fact]
    public async Task WithoutApiKeys_TheClientsAuthorizationIsTheUpstreamsBusiness_ProxyAuthorizationNever()
    {
        await using var door = new FrontDoor();
        await door.SendAsync("GET", "/upstream/a/props", "localhost", "", "Authorization: Bearer upstream-key", "Proxy-Authorization: Basic eA==");

        var received = Assert.Single(door.Received);
        Assert.Equal("Bearer upstream-key", received.Header("Authorization"));
        Assert.Null(received.Header("Proxy-Authorization"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AModelsApiKey_ReplacesWhateverTheClientSent(bool apiKeysSet)
    {
        await using var door = new FrontDoor(c => apiKeysSet ? c with { ApiKeys = ["sk-ours"] } : c, m => m with { ApiKey = "sk-model" });
        await door.SendAsync("POST", "/v1/chat/completions", "localhost", Chat, "Authorization: Bearer sk-ours", "X-Api-Key: sk-ours");

        var received = Assert.Single(door.Received);
        Assert.Equal(["Bearer sk-model"], received.Headers.Where(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value));
        Assert.Equal(["sk-model"], received.Headers.Where(h => h.Key.Equals("x-api-key", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value));
    }

    [Fact]
    public async Task AnApiKeyThatCouldSplitTheHead_IsNeverSent_AndTheClientsKeyStaysBackToo()
    {
        Assert.False(RequestHeaderRules.IsValidKey("sk\r\nX-Evil: 1"));
        Assert.False(RequestHeaderRules.IsValidKey("sk-é"));
        Assert.Throws<ArgumentException>(() => new RequestHeaderRules(false, "sk\r\nX-Evil: 1"));

        await using var door = new FrontDoor(model: m => m with { ApiKey = "sk\r\nX-Evil: 1" });
        var response = await door.SendAsync("POST", "/v1/chat/completions", "localhost", Chat, "Authorization: Bearer client");

        Assert.Equal(200, response.Status);
        var received = Assert.Single(door.Received);
        Assert.Null(received.Header("Authorization"));
        Assert.Null(received.Header("X-Evil"));
    }
}
