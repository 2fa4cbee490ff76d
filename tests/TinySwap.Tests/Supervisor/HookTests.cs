using TinySwap.Config;
using TinySwap.Native;
using TinySwap.Supervisor;
using Xunit.Abstractions;

namespace TinySwap.Tests.Supervisor;

/// <summary>afterHealthy, beforeStop, wake/sleep/alive and cmdStop around real servers.</summary>
[Collection(SupervisorCollection.Name)]
public sealed class HookTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Hooks_RunInOrder_SpawnHealthAfterHealthyReady_ThenBeforeStopBeforeTheSignal()
    {
        await using var harness = new SupervisorHarness(output);
        var order = harness.Marker("order");
        var spawns = 0;
        void Note(string what) => File.AppendAllText(order, what + "\n");
        harness.Options = harness.Options with
        {
            // Only the model's own spawn is noted: a hook's shell may write its line before our callback for its
            // spawn runs, so hook spawns have no order relative to the hook's output.
            Spawned = pid => { harness.Track(pid); if (Interlocked.Increment(ref spawns) == 1) Note("spawn"); },
            HealthProbe = new RecordingProbe(harness.Options.HealthProbe, Note),
        };
        var config = SupervisorHarness.FakeModel("ordered", "--startup-delay", "200") with
        {
            // beforeStop proves the server still runs when it runs: kill -0 fails once SIGTERM has done its work.
            Hooks = ModelHooks.None with
            {
                AfterHealthy = $"echo afterHealthy >> {order}",
                BeforeStop = $"kill -0 $PID && echo beforeStop:server-alive >> {order}",
            },
        };
        var model = harness.Create(config);

        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);
        Note("ready");
        await model.StopAsync(StopReason.Unload);
        Note("stopped");

        // Repeated 503 probes collapse into one "probe".
        var events = File.ReadAllLines(order);
        var compact = events.Where((e, i) => i == 0 || e != events[i - 1]).ToList();
        Assert.Equal(["spawn", "probe", "health:200", "afterHealthy", "ready", "beforeStop:server-alive", "stopped"], compact);
    }

    [Fact]
    public async Task AfterHealthy_HangingForever_IsKilledAtHookTimeout_AndTheModelIsStillReady()
    {
        await using var harness = new SupervisorHarness(output);
        var config = SupervisorHarness.FakeModel("patient") with
        {
            HookTimeout = TimeSpan.FromSeconds(1),
            Hooks = ModelHooks.None with { AfterHealthy = "echo restoring; sleep 1000 & sleep 1000" },
        };
        var model = harness.Create(config);

        var outcome = await model.StartAsync(CancellationToken.None);

        Assert.True(outcome.IsReady, outcome.FailureReason);
        Assert.InRange(outcome.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(3));
        Assert.Contains("[afterHealthy] restoring", model.RecentOutput(50));
        var hookPid = harness.SpawnedPids.Single(pid => pid != model.Pid);
        Assert.True(await ProcFs.WaitUntil(() => Sys.killpg(hookPid, 0) != 0, Bound), "the hook's process group survived its timeout");
        var stats = harness.Options.Metrics.Hooks()[("patient", "afterHealthy")];
        Assert.Equal(1, stats.Failures);
    }

    [Fact]
    public async Task BeforeStop_Failing_TheProcessIsStoppedAnyway()
    {
        await using var harness = new SupervisorHarness(output);
        var config = SupervisorHarness.FakeModel("saver") with { Hooks = ModelHooks.None with { BeforeStop = "echo cannot save >&2; exit 5" } };
        var model = harness.Create(config);
        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);
        var pid = model.Pid!.Value;

        var stop = await model.StopAsync(StopReason.Swap);

        Assert.False(stop.Killed);
        Assert.False(ProcFs.IsAlive(pid));
        Assert.Contains("[beforeStop] cannot save", model.RecentOutput(50));
        Assert.Equal(1, harness.Options.Metrics.Hooks()[("saver", "beforeStop")].Failures);
    }

    [Fact]
    public async Task SleepThenWake_KeepsTheSameProcess_AndHooksSeeTheirEnvironment()
    {
        await using var harness = new SupervisorHarness(output);
        var envFile = harness.Marker("env");
        var config = SupervisorHarness.FakeModel("dozy") with
        {
            Environment = [new("FLAVOUR", "mint")],
            Hooks = ModelHooks.None with
            {
                Sleep = $"echo \"$TINYSWAP_HOOK $TINYSWAP_MODEL $PID $PORT $FLAVOUR\" >> {envFile}",
                Wake = $"echo \"$TINYSWAP_HOOK $TINYSWAP_MODEL $PID $PORT $FLAVOUR\" >> {envFile}",
            },
        };
        var model = harness.Create(config);
        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);
        var pid = model.Pid!.Value;

        var slept = await model.SleepAsync(CancellationToken.None);
        Assert.True(slept.Succeeded);
        Assert.Equal(pid, model.Pid);
        var woke = await model.WakeAsync(CancellationToken.None);

        Assert.True(woke.IsReady, woke.FailureReason);
        Assert.Equal(pid, model.Pid);
        Assert.Equal([$"sleep dozy {pid} {config.Port} mint", $"wake dozy {pid} {config.Port} mint"], File.ReadAllLines(envFile));
    }

    [Fact]
    public async Task Sleep_HookFails_OutcomeSaysSo()
    {
        await using var harness = new SupervisorHarness(output);
        var config = SupervisorHarness.FakeModel("insomniac") with { Hooks = ModelHooks.None with { Sleep = "exit 2", Wake = "true" } };
        var model = harness.Create(config);
        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);

        var slept = await model.SleepAsync(CancellationToken.None);

        Assert.False(slept.Succeeded);
        Assert.Equal(2, slept.ExitCode);
    }

    [Fact]
    public async Task Alive_Failing_ReportsAFault()
    {
        await using var harness = new SupervisorHarness(output);
        var marker = harness.Marker("alive-count");
        var config = SupervisorHarness.FakeModel("flaky") with
        {
            AliveInterval = TimeSpan.FromMilliseconds(100),
            // Healthy twice, then not.
            Hooks = ModelHooks.None with { Alive = $"echo . >> {marker}; [ $(wc -l < {marker}) -lt 3 ]" },
        };
        var model = harness.Create(config);
        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);

        Assert.True(await ProcFs.WaitUntil(() => !harness.Faults.IsEmpty, Bound), "no fault reported");
        var fault = Assert.Single(harness.Faults);
        Assert.Contains("alive hook failed", fault.Reason);
        Assert.Equal(1, fault.ExitCode);
        Assert.Equal(3, File.ReadAllLines(marker).Length);
    }

    [Fact]
    public async Task ExternallyManaged_WakeStarts_StopRunsBeforeStopThenSleep()
    {
        await using var harness = new SupervisorHarness(output);
        var log = harness.Marker("external");
        var config = SupervisorHarness.FakeModel("remote") with
        {
            Command = [],
            CheckEndpoint = null,
            Hooks = ModelHooks.None with
            {
                Wake = $"echo wake >> {log}",
                Sleep = $"echo sleep >> {log}",
                AfterHealthy = $"echo afterHealthy >> {log}",
                BeforeStop = $"echo beforeStop >> {log}",
            },
        };
        var model = harness.Create(config);

        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);
        Assert.Null(model.Pid);
        await model.StopAsync(StopReason.Unload);

        Assert.Equal(["wake", "afterHealthy", "beforeStop", "sleep"], File.ReadAllLines(log));
    }

    [Fact]
    public async Task HookOutput_IsCappedInTheRing()
    {
        await using var harness = new SupervisorHarness(output);
        harness.Options = harness.Options with { HookOutputCapChars = 1000 };
        var config = SupervisorHarness.FakeModel("chatty") with { Hooks = ModelHooks.None with { AfterHealthy = "i=0; while [ $i -lt 500 ]; do echo line$i; i=$((i+1)); done" } };
        var model = harness.Create(config);

        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);

        var lines = model.RecentOutput(1000).Where(l => l.StartsWith("[afterHealthy]", StringComparison.Ordinal)).ToList();
        Assert.InRange(lines.Count, 50, 200);
        Assert.Equal("[afterHealthy] (output truncated after 1000 characters)", lines[^1]);
    }

    /// <summary>Notes every probe and its result, to order health against hooks.</summary>
    private sealed class RecordingProbe(IHealthProbe inner, Action<string> note) : IHealthProbe
    {
        public async Task<HealthProbeResult> ProbeAsync(Uri url, CancellationToken cancel)
        {
            var result = await inner.ProbeAsync(url, cancel);
            note(result.IsHealthy ? "health:200" : "probe");
            return result;
        }
    }
}
