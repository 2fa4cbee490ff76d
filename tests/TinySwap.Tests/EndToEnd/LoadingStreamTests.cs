using System.Text.Json;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>sendLoadingState: a streamed chat request for a model that must load hears progress, then the model's stream.</summary>
public sealed class LoadingStreamTests
{
    private const string Streamed = ""","stream":true,"n_events":3""";
    private const string FakeContent = "tok0 tok1 tok2 ";

    [NodeFact]
    public async Task OpenAiSdk_StreamOverAColdModel_ReadsTheWholeAnswer_ProgressOnlyInReasoning()
    {
        var model = new FakeModel("slow", "--startup-delay 1500");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("sendLoadingState: true", model));

        var output = await NodeSdk.RunAsync("chat-stream.mjs", TimeSpan.FromSeconds(60), $"http://127.0.0.1:{tinyswap.Port}/v1", "slow");

        var result = JsonDocument.Parse(output).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean(), output);
        Assert.Equal(FakeContent, result.GetProperty("content").GetString());
        var reasoning = result.GetProperty("reasoning").GetString()!;
        Assert.Contains("Loading slow", reasoning);
        Assert.Contains("slow is ready after", reasoning);
    }

    [Fact]
    public async Task ColdModel_StreamedRequest_GetsProgressChunksThenTheUpstreamsEvents_ReadyModelAndPlainRequestsUnchanged()
    {
        var model = new FakeModel("slow", "--startup-delay 1200");
        var other = new FakeModel("other", "--startup-delay 200");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("sendLoadingState: true", model, other));

        var cold = await TinySwapApi.CompleteAsync(tinyswap.Port, "slow", Streamed);

        Assert.Equal(200, cold.Status);
        Assert.Equal("text/event-stream", cold.Header("Content-Type"));
        var events = SseEvents.Parse(cold.BodyText);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(SseEvents.Json).ToList();
        var progress = chunks.TakeWhile(c => c.GetProperty("id").GetString() == "loading").ToList();
        Assert.True(progress.Count >= 2, cold.BodyText);
        foreach (var chunk in progress)
        {
            Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString());
            Assert.Equal("slow", chunk.GetProperty("model").GetString());
            var delta = chunk.GetProperty("choices")[0].GetProperty("delta");
            Assert.False(delta.TryGetProperty("content", out _), "progress never goes in content");
            Assert.False(string.IsNullOrEmpty(delta.GetProperty("reasoning_content").GetString()));
        }
        var upstream = chunks.Skip(progress.Count).ToList();
        Assert.Equal(FakeContent, string.Concat(upstream.Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString())));
        // The model's own head never follows ours into the body.
        Assert.DoesNotContain("HTTP/1.1", cold.BodyText);

        // Ready now: the same request is the model's answer alone.
        var warm = await TinySwapApi.CompleteAsync(tinyswap.Port, "slow", Streamed);
        Assert.Equal(200, warm.Status);
        Assert.DoesNotContain("reasoning_content", warm.BodyText);
        // Not streamed: a cold model's answer is the plain JSON, after the load.
        var plain = await TinySwapApi.CompleteAsync(tinyswap.Port, "other");
        Assert.Equal(200, plain.Status);
        Assert.Equal("other", plain.Json().GetProperty("model").GetString());
        // Cold again, and other must stop for it: the progress says so.
        var swapped = await TinySwapApi.CompleteAsync(tinyswap.Port, "slow", Streamed);
        Assert.Equal(200, swapped.Status);
        Assert.Contains("Stopping other to make room", swapped.BodyText);
        Assert.EndsWith("data: [DONE]\n\n", swapped.BodyText);
    }

    [Fact]
    public async Task ModelThatFailsToStart_StreamedRequest_EndsWithOneErrorEventAndDone()
    {
        var model = new FakeModel("broken", "--fail-start");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("sendLoadingState: true", model));

        var failed = await TinySwapApi.CompleteAsync(tinyswap.Port, "broken", Streamed);

        Assert.Equal(200, failed.Status);
        var events = SseEvents.Parse(failed.BodyText);
        Assert.Equal("[DONE]", events[^1]);
        var error = SseEvents.Json(events[^2]).GetProperty("error");
        Assert.Contains("broken", error.GetProperty("message").GetString());
        Assert.Single(events, e => e.Contains("\"error\"", StringComparison.Ordinal));
    }
}
