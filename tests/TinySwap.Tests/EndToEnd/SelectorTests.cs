using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>Selectors through dist/tinyswap: which FakeUpstream got each request, and the `model` it saw.</summary>
public sealed class SelectorTests
{
    [Fact]
    public async Task PinWarmAndSpillover_SendEachRequestToTheTargetTheirStrategyChooses()
    {
        var a = new FakeModel("a");
        var b = new FakeModel("b", Settings: "aliases: [alias-b]");
        const string topLevel = """
            groups:
              pool: {swap: false, members: [a, b]}
            selectors:
              public: {strategy: pin, targets: [alias-b, a], name: Public Model}
              coding: {strategy: warm, targets: [a, b]}
              spread:
                strategy: spillover
                targets: [a, b]
                settings: {spillover: 1}
            """;
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config(topLevel, a, b));

        // pin: always b, and b's server sees the target's name, as if the client had asked for it.
        var pinned = await TinySwapApi.CompleteOkAsync(tinyswap.Port, "public", servedBy: "b");
        Assert.Equal("alias-b", pinned.GetProperty("model").GetString());

        // warm: a comes first, but b is the one running.
        Assert.Equal("b", (await TinySwapApi.CompleteOkAsync(tinyswap.Port, "coding", servedBy: "b")).GetProperty("model").GetString());
        Assert.Equal(["b"], (await TinySwapApi.RunningAsync(tinyswap.Port)).Select(r => r.Model));

        // spillover 1: a stream holds b (the running one); the next request spills over to a, which starts beside it.
        using var stream = await SseStream.OpenAsync(tinyswap.Port, """{"model":"spread","stream":true,"n_events":20,"gap_ms":50}""");
        var first = await stream.ReadEventAsync();
        Assert.Contains("\"served_by\":\"b\"", first);
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "spread", servedBy: "a");
        Assert.Equal("[DONE]", (await stream.ReadToEndAsync())[^1]);

        // Both run now; warm takes the first ready target in order: a.
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "coding", servedBy: "a");
    }

    [Fact]
    public async Task MultipartAndQueryRequests_AreRewrittenToTheTarget()
    {
        var whisper = new FakeModel("whisper");
        const string topLevel = "selectors:\n  speech: {strategy: pin, targets: [whisper]}\n";
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config(topLevel, whisper));

        const string boundary = "----selector-boundary";
        var body = Multipart.Build(boundary, ("model", null, "speech"u8.ToArray()), ("file", "a.wav", new byte[1000]));
        var transcription = await RawHttp.SendAsync(tinyswap.Port, "POST", "/v1/audio/transcriptions", body, "multipart/form-data; boundary=" + boundary);
        Assert.True(transcription.Status == 200, transcription.ToString());
        Assert.Equal("whisper", transcription.Json().GetProperty("model").GetString());
        Assert.Equal(body.Length + "whisper".Length - "speech".Length, transcription.Json().GetProperty("body_length").GetInt64());

        var voices = await RawHttp.GetAsync(tinyswap.Port, "/v1/audio/voices?lang=en&model=speech&x=%20");
        Assert.True(voices.Status == 200, voices.ToString());
        Assert.Equal("/v1/audio/voices?lang=en&model=whisper&x=%20", voices.Json().GetProperty("target").GetString());
    }

    [Fact]
    public async Task Listing_PeerTargets_AndUpstreamPaths_AnswerAsLlamaSwapDoes()
    {
        var a = new FakeModel("a");
        const string topLevel = """
            peers:
              remote: {proxy: "http://127.0.0.1:9", models: [remote-model]}
            selectors:
              public:
                strategy: pin
                targets: [remote/remote-model, a]
                description: the remote one
                metadata: {tier: gold}
              hidden: {strategy: pin, targets: [a], unlisted: true}
            """;
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config(topLevel, a));

        var list = await RawHttp.GetAsync(tinyswap.Port, "/v1/models");
        var ids = list.Json().GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(["a", "public"], ids);
        var one = await RawHttp.GetAsync(tinyswap.Port, "/v1/models/public");
        Assert.True(one.Status == 200, one.ToString());
        Assert.Equal("gold", one.Json().GetProperty("meta").GetProperty("llamaswap").GetProperty("tier").GetString());

        // Peers are not routed yet: the selector's peer target answers exactly as a request naming it does.
        var direct = await TinySwapApi.CompleteAsync(tinyswap.Port, "remote/remote-model");
        var selected = await TinySwapApi.CompleteAsync(tinyswap.Port, "public");
        Assert.Equal(404, selected.Status);
        Assert.Equal((direct.Status, direct.BodyText), (selected.Status, selected.BodyText));

        // An unlisted selector still works; /upstream/{selector}/ does not (llama-swap: selectors are not supported there).
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "hidden", servedBy: "a");
        Assert.Equal(404, (await RawHttp.GetAsync(tinyswap.Port, "/upstream/hidden/health")).Status);
    }
}
