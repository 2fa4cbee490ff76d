using System.Text.Json;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>Loading and unloading by hand, what the listings say meanwhile, and the hooks that run on the way.</summary>
public sealed class ApiLifecycleTests
{
    [Fact]
    public async Task LoadRunningUnload_RoundTripWithStatesInTheModelList()
    {
        var a = new FakeModel("a");
        var b = new FakeModel("b");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", a, b));
        Assert.Equal([("a", "stopped"), ("b", "stopped")], await ModelStatesAsync(tinyswap.Port));

        await TinySwapApi.LoadAsync(tinyswap.Port, "a");

        var pid = await TinySwapApi.ReadyPidAsync(tinyswap.Port, "a");
        Assert.True(ProcessTable.IsAlive(pid));
        Assert.Contains($"--port {a.Port} --model a", ProcessTable.CommandLine(pid));
        Assert.Equal([("a", "ready"), ("b", "stopped")], await ModelStatesAsync(tinyswap.Port));

        var unload = await RawHttp.SendAsync(tinyswap.Port, "POST", "/api/models/unload/a");

        Assert.True(unload.Status == 200, unload.ToString());
        Assert.Empty(await TinySwapApi.RunningAsync(tinyswap.Port));
        Assert.False(ProcessTable.IsAlive(pid), "unload returned before the process was gone");
        Assert.Equal([("a", "stopped"), ("b", "stopped")], await ModelStatesAsync(tinyswap.Port));
        Assert.Equal(404, (await RawHttp.SendAsync(tinyswap.Port, "POST", "/api/models/unload/nope")).Status);
        Assert.Equal(405, (await RawHttp.GetAsync(tinyswap.Port, "/api/models/load/a")).Status);
    }

    [Fact]
    public async Task Hooks_AfterHealthyBeforeServingAndBeforeStopWhileTheModelRuns_WithModelAndPortInTheirEnvironment()
    {
        // Each hook appends a line; beforeStop also records whether the model's process was still there to save from.
        var model = new FakeModel("hooked", Settings: """
            afterHealthy: echo "afterHealthy $TINYSWAP_HOOK $TINYSWAP_MODEL $PORT" >> hooks.log
            beforeStop: echo "beforeStop $TINYSWAP_HOOK $TINYSWAP_MODEL $PORT $(kill -0 "$PID" && echo model-alive)" >> hooks.log
            """);
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model));
        var markers = Path.Combine(tinyswap.Directory, "hooks.log");

        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "hooked", servedBy: "hooked");
        var afterFirstAnswer = File.ReadAllLines(markers);
        var unload = await RawHttp.SendAsync(tinyswap.Port, "POST", "/api/models/unload/hooked");
        Assert.Equal(200, unload.Status);

        // afterHealthy finished before the first request was served; beforeStop ran before the stop signal.
        Assert.Equal([$"afterHealthy afterHealthy hooked {model.Port}"], afterFirstAnswer);
        Assert.Equal([$"afterHealthy afterHealthy hooked {model.Port}", $"beforeStop beforeStop hooked {model.Port} model-alive"],
            File.ReadAllLines(markers));
        await tinyswap.WaitForLogAsync("[hooked] stopped pid");
        var IndexOf = tinyswap.LogIndexOf;
        Assert.True(IndexOf("[hooked] started pid") < IndexOf("hook afterHealthy succeeded")
                    && IndexOf("hook afterHealthy succeeded") < IndexOf("router[4001] hooked is ready")
                    && IndexOf("router[4001] hooked is ready") < IndexOf("hook beforeStop succeeded")
                    && IndexOf("hook beforeStop succeeded") < IndexOf("[hooked] stopped pid"), tinyswap.Describe());
    }

    /// <summary>(id, state) of every entry of /v1/models, in order.</summary>
    private static async Task<List<(string, string)>> ModelStatesAsync(int port)
    {
        var response = await RawHttp.GetAsync(port, "/v1/models");
        Assert.True(response.Status == 200, response.ToString());
        var list = response.Json();
        Assert.Equal("list", list.GetProperty("object").GetString());
        return list.GetProperty("data").EnumerateArray()
            .Select(m => (m.GetProperty("id").GetString()!, m.GetProperty("state").GetString()!)).ToList();
    }
}
