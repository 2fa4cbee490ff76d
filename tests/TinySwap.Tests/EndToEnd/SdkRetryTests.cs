using System.Text.Json;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>What an application using the official openai npm client sees of a model that cannot start.</summary>
public sealed class SdkRetryTests
{
    [NodeFact]
    public async Task OpenAiSdk_DefaultRetries_ModelThatExitsAtOnce_GetsAnErrorWithinTenSeconds()
    {
        var model = new FakeModel("broken", "--fail-start");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model));

        var output = await NodeSdk.RunAsync("chat-once.mjs", TimeSpan.FromSeconds(60), $"http://127.0.0.1:{tinyswap.Port}/v1", "broken");

        var result = JsonDocument.Parse(output).RootElement;
        Assert.False(result.GetProperty("ok").GetBoolean(), output);
        // Timed by the script around the SDK call alone: node's own start-up is not what the user waits for.
        Assert.True(result.GetProperty("elapsedMs").GetDouble() < 10_000, $"the SDK call took too long: {output}");
        // The last of its three tries is either a fresh failed start (502) or lands in the backoff (503).
        Assert.Contains(result.GetProperty("status").GetInt32(), new[] { 502, 503 });
        var message = result.GetProperty("message").GetString()!;
        Assert.Contains("broken", message);
        Assert.Contains("fake: failing to start as asked (--fail-start)", message);
        var attempts = tinyswap.CountLog(line => line.Contains("router[4002]", StringComparison.Ordinal));
        Assert.InRange(attempts, 1, 3);
    }
}
