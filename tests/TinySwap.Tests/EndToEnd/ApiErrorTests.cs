using System.Text;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>One tinyswap with API keys and a concurrency limit, shared by the error-path tests.</summary>
public sealed class ApiKeyServer : IAsyncLifetime
{
    public const string Key = "e2e-secret-key";

    private TinySwapServer? _server;

    internal TinySwapServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() =>
        _server = await TinySwapServer.StartAsync(FakeModel.Config($"apiKeys: [{Key}]\n",
            new FakeModel("alpha"), new FakeModel("beta", Settings: "concurrencyLimit: 1")));

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

/// <summary>What a client gets when it asks wrongly: OpenAI-shaped errors with the right status.</summary>
public sealed class ApiErrorTests(ApiKeyServer fixture) : IClassFixture<ApiKeyServer>
{
    private static readonly string[] Authorized = ["Authorization: Bearer " + ApiKeyServer.Key];
    private int Port => fixture.Server.Port;

    [Fact]
    public async Task UnknownModel_Is404ListingTheKnownIds()
    {
        var response = await PostAsync("""{"model":"gamma","messages":[]}""", Authorized);

        var error = AssertError(response, 404, "invalid_request_error");
        Assert.Contains("gamma", error);
        Assert.Contains("alpha", error);
        Assert.Contains("beta", error);
    }

    [Theory]
    [InlineData("""{"model":"alpha",""", "not valid JSON")]
    [InlineData("""{"messages":[]}""", "no \"model\"")]
    public async Task BadJsonOrNoModel_Is400(string body, string explained)
    {
        var response = await PostAsync(body, Authorized);

        Assert.Contains(explained, AssertError(response, 400, "invalid_request_error"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Authorization: Bearer not-the-key")]
    [InlineData("Authorization: Basic ZTJlLXNlY3JldC1rZXk6")]
    [InlineData("x-api-key: not-the-key")]
    public async Task MissingOrWrongKey_Is401(string? header)
    {
        var response = await PostAsync("""{"model":"alpha"}""", header is null ? [] : [header]);

        AssertError(response, 401, null);
        Assert.Equal(401, (await RawHttp.GetAsync(Port, "/v1/models")).Status);
    }

    [Theory]
    [InlineData("Authorization: Bearer " + ApiKeyServer.Key)]
    [InlineData("x-api-key: " + ApiKeyServer.Key)]
    public async Task RightKey_IsServed(string header)
    {
        var response = await PostAsync("""{"model":"alpha"}""", [header]);

        Assert.True(response.Status == 200, response.ToString());
        Assert.Equal("alpha", response.Json().GetProperty("served_by").GetString());
    }

    [Fact]
    public async Task RetrieveModel_AnswersTheListEntry_UnknownIdIs404ModelNotFound()
    {
        var list = await RawHttp.SendAsync(Port, "GET", "/models", extraHeaders: Authorized);
        var one = await RawHttp.SendAsync(Port, "GET", "/v1/models/alpha", extraHeaders: Authorized);
        var unknown = await RawHttp.SendAsync(Port, "GET", "/v1/models/gamma", extraHeaders: Authorized);

        Assert.True(list.Status == 200, list.ToString());
        Assert.Equal(["alpha", "beta"], list.Json().GetProperty("data").EnumerateArray().Select(entry => entry.GetProperty("id").GetString()));
        Assert.True(one.Status == 200, one.ToString());
        Assert.Equal(("alpha", "model"), (one.Json().GetProperty("id").GetString(), one.Json().GetProperty("object").GetString()));
        Assert.Equal("the model 'gamma' does not exist", AssertError(unknown, 404, "invalid_request_error"));
        Assert.Equal("model_not_found", unknown.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(401, (await RawHttp.GetAsync(Port, "/v1/models/alpha")).Status);
    }

    [Fact]
    public async Task Health_NeedsNoKey()
    {
        var response = await RawHttp.GetAsync(Port, "/health");

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task RequestBeyondTheConcurrencyLimit_Is429WithRetryAfter()
    {
        using var busy = await SseStream.OpenAsync(Port, """{"model":"beta","stream":true,"n_events":40,"gap_ms":50}""", Authorized);
        Assert.NotNull(await busy.ReadEventAsync());

        var response = await PostAsync("""{"model":"beta"}""", Authorized);

        AssertError(response, 429, null);
        Assert.True(int.TryParse(response.Header("Retry-After"), out var seconds) && seconds >= 1, response.Header("Retry-After"));
        // The limit counts requests in flight, not ever made: once the stream ends, beta serves again.
        await busy.ReadToEndAsync();
        Assert.Equal(200, (await PostAsync("""{"model":"beta"}""", Authorized)).Status);
    }

    private Task<RawHttpResponse> PostAsync(string json, string[] headers) =>
        RawHttp.SendAsync(Port, "POST", "/v1/chat/completions", Encoding.UTF8.GetBytes(json), "application/json", headers);

    /// <summary>Asserts an OpenAI-shaped error with this status (and type, when given); returns its message.</summary>
    private static string AssertError(RawHttpResponse response, int status, string? type)
    {
        Assert.True(response.Status == status, response.ToString());
        Assert.StartsWith("application/json", response.Header("Content-Type"));
        var error = response.Json().GetProperty("error");
        if (type is not null)
            Assert.Equal(type, error.GetProperty("type").GetString());
        return error.GetProperty("message").GetString()!;
    }
}
