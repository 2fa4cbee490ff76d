using System.Text;
using System.Text.Json;
using TinySwap.Tests.Http.Support;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Proxy.Security;

/// <summary>Error bodies per API family, the 404 code of an unknown model on every route, and 401's challenge.</summary>
public sealed class ErrorShapeTests
{
    private static JsonElement Json(RawResponse response) => JsonDocument.Parse(response.Body).RootElement;

    private static void AssertAnthropicError(RawResponse response, int status, string type)
    {
        Assert.True(response.Status == status, $"{response.Status}: {response.BodyText}");
        var json = Json(response);
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal(type, json.GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("error").GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("/v1/messages")]
    [InlineData("/v1/messages/count_tokens")]
    public async Task AnthropicRoutes_AnswerErrorsInAnthropicsShape(string path)
    {
        await using var door = new FrontDoor();
        AssertAnthropicError(await door.SendAsync("POST", path, "localhost", """{"model":"nope"}"""), 404, "not_found_error");
        AssertAnthropicError(await door.SendAsync("POST", path, "localhost", """{"max_tokens":1}"""), 400, "invalid_request_error");
        AssertAnthropicError(await door.SendAsync("POST", path, "localhost", """{"model":"a"}""", "Origin: http://evil.example"), 403, "permission_error");
        AssertAnthropicError(await door.SendAsync("POST", path, "evil.example", """{"model":"a"}"""), 421, "invalid_request_error");
        AssertAnthropicError(await door.SendAsync("GET", path, "localhost"), 405, "invalid_request_error");
    }

    [Fact]
    public async Task AnthropicRoute_WithoutKey_IsAnAuthenticationErrorWithABearerChallenge()
    {
        await using var door = new FrontDoor(c => c with { ApiKeys = ["sk-ours"] });
        var response = await door.SendAsync("POST", "/v1/messages", "localhost", """{"model":"a"}""", "x-api-key: wrong");

        AssertAnthropicError(response, 401, "authentication_error");
        Assert.Equal("Bearer", response.Header("WWW-Authenticate"));
    }

    [Fact]
    public async Task AnthropicRoute_UpstreamDown_IsAnApiError()
    {
        await using var door = new FrontDoor(model: m => m with { Proxy = new Uri($"http://127.0.0.1:{FreePort.Next()}") });
        AssertAnthropicError(await door.SendAsync("POST", "/v1/messages", "localhost", """{"model":"a"}"""), 502, "api_error");
    }

    [Fact]
    public async Task OpenAiRoute_WithoutKey_Is401WithABearerChallenge_InOpenAisShape()
    {
        await using var door = new FrontDoor(c => c with { ApiKeys = ["sk-ours"] });
        var response = await door.SendAsync("POST", "/v1/chat/completions", "localhost", """{"model":"a"}""");

        Assert.Equal(401, response.Status);
        Assert.Equal("Bearer", response.Header("WWW-Authenticate"));
        Assert.Equal("invalid_api_key", Json(response).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task UnknownModel_Is404ModelNotFound_OnEveryRoute()
    {
        await using var door = new FrontDoor();
        const string boundary = "b0undary";
        var form = Encoding.ASCII.GetString(Multipart.Build(boundary, ("model", null, "nope"u8.ToArray())));
        var responses = new[]
        {
            await door.SendAsync("POST", "/v1/chat/completions", "localhost", """{"model":"nope"}"""),
            await door.SendAsync("POST", "/v1/chat/completions", "localhost", "{\"model\":\"" + new string('x', 600) + "\"}"),
            await door.SendAsync("POST", "/v1/audio/transcriptions", "localhost", form, "Content-Type: multipart/form-data; boundary=" + boundary),
            await door.SendAsync("GET", "/v1/audio/voices?model=nope", "localhost"),
            await door.SendAsync("GET", "/upstream/nope/health", "localhost"),
            await door.SendAsync("POST", "/api/models/unload/%ff", "localhost"),
        };
        foreach (var response in responses)
        {
            Assert.True(response.Status == 404, $"{response.Status}: {response.BodyText}");
            Assert.Equal("model_not_found", Json(response).GetProperty("error").GetProperty("code").GetString());
        }
        Assert.Empty(door.Received);
    }
}
