using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>Requests that find their model stopped: one spawn serves them all; a start that fails is reported.</summary>
public sealed class ColdStartTests
{
    [Fact]
    public async Task HundredConcurrentRequestsForAColdModel_SpawnItOnceAndAllGetTheirAnswer()
    {
        // The delay keeps the model starting while every request arrives, so they must all join the one swap.
        var model = new FakeModel("cold", "--startup-delay 300");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model));

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            TinySwapApi.CompleteAsync(tinyswap.Port, "cold", $$""","user":"client-{{i}}" """)));

        Assert.All(responses, r =>
        {
            Assert.True(r.Status == 200, r.ToString());
            var json = r.Json();
            Assert.Equal("cold", json.GetProperty("served_by").GetString());
            Assert.Equal("cold", json.GetProperty("model").GetString());
            Assert.Equal("fake reply", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        });
        // Every answer came from its own request (the fake numbers its replies).
        Assert.Equal(100, responses.Select(r => r.Json().GetProperty("id").GetString()).Distinct().Count());
        await tinyswap.WaitForLogAsync("router[4001] cold is ready");
        Assert.Single(tinyswap.LogLines("[cold] started pid"));
        var running = Assert.Single(await TinySwapApi.RunningAsync(tinyswap.Port));
        Assert.Equal(new RunningModel("cold", "ready", running.Pid, 0), running);
    }

    [Theory]
    [InlineData("--fail-start", 1, "fake: failing to start as asked (--fail-start)")]
    [InlineData("--exit-after 0", 3, "fake: exiting after 0 ms as asked")]
    public async Task ModelThatExitsDuringStart_AnswersOpenAiErrorWithExitCodeAndStderr(string flags, int exitCode, string stderrLine)
    {
        var model = new FakeModel("broken", flags);
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model));

        var response = await TinySwapApi.CompleteAsync(tinyswap.Port, "broken");

        Assert.True(response.Status is 502 or 503, response.ToString());
        Assert.StartsWith("application/json", response.Header("Content-Type"));
        var error = response.Json().GetProperty("error");
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains($"exit code {exitCode}", message);
        Assert.Contains(stderrLine, message);
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Empty(await TinySwapApi.RunningAsync(tinyswap.Port));
        Assert.Empty(tinyswap.ModelProcesses());
    }
}
