using System.Text.Json;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>
/// setParamsByID aliases and profiles seen from outside: the body each model received (FakeUpstream's /body/ route answers
/// it back), the listing, and the profile API switching pins under requests.
/// </summary>
public sealed class ProfilesAndAliasesTests
{
    /// <summary>`thinker` answers every request with the body it received; `web` echoes method and target.</summary>
    private static string Config(FakeModel thinker, FakeModel web) => $$"""
        includeAliasesInList: true
        groups:
          together: { swap: false, members: [thinker, web] }
        profiles:
          coding:
            description: Code with the thinker
            pins:
              llm: thinker:high
              site: web
              off: ~
              thinker: web
        models:
          thinker:
            cmd: {{RepoPaths.FakeUpstreamBinary}} --port {{thinker.Port}} --model thinker
            proxy: http://127.0.0.1:{{thinker.Port}}/body
            aliases:
              - { id: quiet, unlisted: true }
            filters:
              setParams: { temperature: 0.7, effort: none }
              setParamsByID:
                "${MODEL_ID}": { effort: medium }
                "${MODEL_ID}:high": { effort: high, temperature: 0.1 }
          web:
            cmd: {{RepoPaths.FakeUpstreamBinary}} --port {{web.Port}} --model web
            proxy: http://127.0.0.1:{{web.Port}}
        """;

    [Fact]
    public async Task SetParamsById_EachNameSetsItsParamsAfterSetParams_AndIsListed()
    {
        var (thinker, web) = (new FakeModel("thinker"), new FakeModel("web"));
        await using var tinyswap = await TinySwapServer.StartAsync(Config(thinker, web));

        var high = await ReceivedBodyAsync(tinyswap.Port, "thinker:high");
        Assert.Equal("thinker:high", high.GetProperty("model").GetString());
        Assert.Equal("high", high.GetProperty("effort").GetString());
        Assert.Equal(0.1, high.GetProperty("temperature").GetDouble());

        var byId = await ReceivedBodyAsync(tinyswap.Port, "thinker");
        Assert.Equal("medium", byId.GetProperty("effort").GetString());
        Assert.Equal(0.7, byId.GetProperty("temperature").GetDouble());

        // An alias without an entry gets setParams only.
        Assert.Equal("none", (await ReceivedBodyAsync(tinyswap.Port, "quiet")).GetProperty("effort").GetString());

        var listed = await ListedIdsAsync(tinyswap.Port);
        Assert.Equal(["thinker", "thinker:high", "web"], listed);
    }

    [Fact]
    public async Task Profile_PinsApplyWhileActive_SwitchedOffNameIs404_ReloadDeactivates()
    {
        var (thinker, web) = (new FakeModel("thinker"), new FakeModel("web"));
        await using var tinyswap = await TinySwapServer.StartAsync(Config(thinker, web));
        var port = tinyswap.Port;

        var profiles = (await RawHttp.GetAsync(port, "/api/profiles")).Json();
        Assert.Equal(JsonValueKind.Null, profiles.GetProperty("active").ValueKind);
        var coding = Assert.Single(profiles.GetProperty("profiles").EnumerateArray().ToList());
        Assert.Equal("coding", coding.GetProperty("id").GetString());
        Assert.Equal("Code with the thinker", coding.GetProperty("description").GetString());
        Assert.Equal("", coding.GetProperty("pins").GetProperty("off").GetString());
        Assert.Equal(404, (await TinySwapApi.CompleteAsync(port, "llm")).Status);

        Assert.Equal("coding", (await PutActiveAsync(port, """{"name":"coding"}""")).Json().GetProperty("active").GetString());
        await tinyswap.WaitForLogAsync("active profile is now coding");

        // The pin renames the request: the model receives the target's name and the target's setParamsByID params.
        var pinned = await ReceivedBodyAsync(port, "llm");
        Assert.Equal("thinker:high", pinned.GetProperty("model").GetString());
        Assert.Equal("high", pinned.GetProperty("effort").GetString());
        // A pin wins over a model id of the same name.
        Assert.Equal("web", (await TinySwapApi.CompleteAsync(port, "thinker")).Json().GetProperty("served_by").GetString());
        var off = await TinySwapApi.CompleteAsync(port, "off");
        Assert.Equal(404, off.Status);
        Assert.Equal("model_not_found", off.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("switched off while profile 'coding' is active", off.BodyText);

        // /upstream/{pin}/… reaches the pin's target with the rest of the path; a query model is rewritten to the target.
        var upstream = (await RawHttp.GetAsync(port, "/upstream/site/some/page?x=1")).Json();
        Assert.Equal("/some/page?x=1", upstream.GetProperty("target").GetString());
        var voices = (await RawHttp.GetAsync(port, "/v1/audio/voices?lang=en&model=site")).Json();
        Assert.Equal("/v1/audio/voices?lang=en&model=web", voices.GetProperty("target").GetString());
        var upload = Multipart.Build("b0undary", ("model", null, "site"u8.ToArray()), ("file", "a.wav", new byte[1000]));
        var transcription = await RawHttp.SendAsync(port, "POST", "/v1/audio/transcriptions", upload, "multipart/form-data; boundary=b0undary");
        Assert.True(transcription.Status == 200, transcription.ToString());
        Assert.Equal(("web", 1000), (transcription.Json().GetProperty("model").GetString(), transcription.Json().GetProperty("file_size").GetInt32()));

        Assert.Contains("llm", await ListedIdsAsync(port));
        Assert.DoesNotContain("off", await ListedIdsAsync(port));

        await tinyswap.ReloadAsync(Config(thinker, web) + "\n# touched\n");
        await tinyswap.WaitForLogAsync("active profile is now (none)");
        Assert.Equal(JsonValueKind.Null, (await RawHttp.GetAsync(port, "/api/profiles")).Json().GetProperty("active").ValueKind);
        Assert.Equal(404, (await TinySwapApi.CompleteAsync(port, "llm")).Status);
        Assert.Equal("thinker", (await TinySwapApi.CompleteAsync(port, "thinker")).Json().GetProperty("model").GetString());
    }

    [Fact]
    public async Task ActivateProfile_BadRequests_AreAnsweredAsLlamaSwapAnswersThem_AndForeignPagesAreRefused()
    {
        var (thinker, web) = (new FakeModel("thinker"), new FakeModel("web"));
        await using var tinyswap = await TinySwapServer.StartAsync(Config(thinker, web));
        var port = tinyswap.Port;

        Assert.Equal(404, (await PutActiveAsync(port, """{"name":"nope"}""")).Status);
        Assert.Equal(400, (await PutActiveAsync(port, """{"profile":"coding"}""")).Status);
        Assert.Equal(400, (await PutActiveAsync(port, """{"name":7}""")).Status);
        Assert.Equal(400, (await PutActiveAsync(port, "not json")).Status);
        Assert.Equal(405, (await RawHttp.SendAsync(port, "POST", "/api/profiles/active", "{}"u8.ToArray(), "application/json")).Status);

        var foreign = await RawHttp.SendAsync(port, "PUT", "/api/profiles/active", """{"name":"coding"}"""u8.ToArray(), "application/json",
            ["Origin: http://evil.example"]);
        Assert.Equal(403, foreign.Status);
        Assert.Equal(JsonValueKind.Null, (await RawHttp.GetAsync(port, "/api/profiles")).Json().GetProperty("active").ValueKind);

        Assert.Equal("coding", (await PutActiveAsync(port, """{"name":"coding"}""")).Json().GetProperty("active").GetString());
        Assert.Equal(JsonValueKind.Null, (await PutActiveAsync(port, """{"name":null}""")).Json().GetProperty("active").ValueKind);
        Assert.Equal(404, (await TinySwapApi.CompleteAsync(port, "llm")).Status);
    }

    private static async Task<JsonElement> ReceivedBodyAsync(int port, string model)
    {
        var response = await TinySwapApi.CompleteAsync(port, model);
        Assert.True(response.Status == 200, response.ToString());
        return response.Json();
    }

    private static Task<RawHttpResponse> PutActiveAsync(int port, string json) =>
        RawHttp.SendAsync(port, "PUT", "/api/profiles/active", System.Text.Encoding.UTF8.GetBytes(json), "application/json");

    private static async Task<List<string>> ListedIdsAsync(int port)
    {
        var response = await RawHttp.GetAsync(port, "/v1/models");
        Assert.True(response.Status == 200, response.ToString());
        return [.. response.Json().GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
    }
}
