using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TinySwap.Native;
using TinySwap.Supervisor;
using TinySwap.Tests.Support;
using Xunit.Abstractions;

namespace TinySwap.Tests.Supervisor;

/// <summary>Start, health and stop of real servers (dist/FakeUpstream) through the exec shim.</summary>
[Collection(SupervisorCollection.Name)]
public sealed class ModelProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Start_WithStartupDelay_IsReadyShortlyAfterTheDelay()
    {
        await using var harness = new SupervisorHarness(output);
        const int delayMs = 600;
        var model = harness.Create(SupervisorHarness.FakeModel("slow", "--startup-delay", delayMs.ToString(CultureInfo.InvariantCulture)));

        var outcome = await model.StartAsync(CancellationToken.None);

        Assert.True(outcome.IsReady, outcome.FailureReason);
        var late = outcome.Elapsed.TotalMilliseconds - delayMs;
        output.WriteLine($"ready {outcome.Elapsed.TotalMilliseconds:0} ms after StartAsync, {late:0} ms after the {delayMs} ms startup delay (spawn + shim + server start + probe interval)");
        Assert.True(late >= 0, "ready before the server could be healthy: the probe accepted a 503?");
        Assert.True(late < 1000, $"{late:0} ms late (aim: ~50 ms; bound generous for a loaded 2-core machine)");
        Assert.NotNull(model.Pid);
    }

    [Fact]
    public async Task Start_ServerEnvironment_HasOursTheModelsAndTinySwapVariables()
    {
        await using var harness = new SupervisorHarness(output);
        var config = SupervisorHarness.FakeModel("envy") with { Environment = [new("MODEL_FLAVOUR", "vanilla"), new("HOME", "/overridden")] };
        var model = harness.Create(config);
        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);

        var env = (await RawHttp.GetAsync(config.Port!.Value, "/env")).BodyText;

        Assert.Contains("\"MODEL_FLAVOUR\":\"vanilla\"", env);
        Assert.Contains("\"HOME\":\"/overridden\"", env);
        Assert.Contains("\"TINYSWAP_MODEL\":\"envy\"", env);
        Assert.Contains($"\"PORT\":\"{config.Port}\"", env);
        Assert.Contains("\"PATH\":", env); // ours, inherited
    }

    [Fact]
    public async Task Start_ServerExitsDuringStart_FailsAtOnceWithExitCodeAndStderr()
    {
        await using var harness = new SupervisorHarness(output);
        var model = harness.Create(SupervisorHarness.FakeModel("quitter", "--startup-delay", "60000", "--exit-after", "300"));

        var outcome = await model.StartAsync(CancellationToken.None);

        Assert.False(outcome.IsReady);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Contains("exit code 3", outcome.FailureReason);
        Assert.Contains("fake: exiting after 300 ms as asked", outcome.FailureReason);
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(10), $"took {outcome.Elapsed}: the exit was not noticed at once");
        Assert.Null(model.Pid);
    }

    [Fact]
    public async Task Start_FailingAgain_QuotesThatAttemptsOutputOnly()
    {
        await using var harness = new SupervisorHarness(output);
        var model = harness.Create(SupervisorHarness.FakeModel("quitter", "--startup-delay", "60000", "--exit-after", "100"));

        StartOutcome last = null!;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            last = await model.StartAsync(CancellationToken.None);
            Assert.False(last.IsReady);
        }

        // Each attempt printed the line once; the third failure must not repeat the first two attempts' copies.
        var quoted = last.FailureReason!.Split("fake: exiting after 100 ms as asked").Length - 1;
        Assert.True(quoted == 1, $"quoted {quoted} times: {last.FailureReason}");
    }

    [Fact]
    public async Task Start_NeverHealthy_IsStoppedAtTheHealthCheckTimeout()
    {
        await using var harness = new SupervisorHarness(output);
        var config = SupervisorHarness.FakeModel("stuck", "--startup-delay", "600000") with { HealthCheckTimeout = TimeSpan.FromSeconds(1) };
        var model = harness.Create(config);

        var outcome = await model.StartAsync(CancellationToken.None);

        Assert.False(outcome.IsReady);
        Assert.Contains("healthCheckTimeout", outcome.FailureReason);
        Assert.Contains("HTTP 503", outcome.FailureReason);
        Assert.InRange(outcome.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) + config.UnloadTimeout + TimeSpan.FromSeconds(2));
        var pid = Assert.Single(harness.SpawnedPids);
        Assert.False(ProcFs.IsAlive(pid), "the never-healthy server is still running");
    }

    [Fact]
    public async Task Start_PortAlreadyTaken_FailsBeforeSpawning()
    {
        await using var harness = new SupervisorHarness(output);
        var config = SupervisorHarness.FakeModel("squatted");
        using var squatter = new TcpListener(IPAddress.Loopback, config.Port!.Value);
        squatter.Start();

        var outcome = await harness.Create(config).StartAsync(CancellationToken.None);

        Assert.False(outcome.IsReady);
        Assert.Contains($"port {config.Port}", outcome.FailureReason);
        Assert.Empty(harness.SpawnedPids);
    }

    [Fact]
    public async Task Restart_OnTheSamePort_IsNotMistakenForATakenPort()
    {
        await using var harness = new SupervisorHarness(output);
        var config = SupervisorHarness.FakeModel("again");
        var model = harness.Create(config);
        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);
        var first = model.Pid;
        await CloseFromTheServerSideAsync(config.Port!.Value); // the server's end of it stays in TIME_WAIT
        await model.StopAsync(StopReason.Reload);

        var outcome = await model.StartAsync(CancellationToken.None);

        Assert.True(outcome.IsReady, outcome.FailureReason);
        Assert.NotEqual(first, model.Pid);
    }

    [Fact]
    public async Task Start_CommandNotFound_FailsBeforeSpawning()
    {
        await using var harness = new SupervisorHarness(output);
        var config = SupervisorHarness.FakeModel("ghost") with { Command = ["no-such-inference-server", "--port", "1"] };

        var outcome = await harness.Create(config).StartAsync(CancellationToken.None);

        Assert.False(outcome.IsReady);
        Assert.Contains("'no-such-inference-server' was not found in PATH", outcome.FailureReason);
        Assert.Empty(harness.SpawnedPids);
    }

    [Fact]
    public async Task Start_Cancelled_StopsTheServer()
    {
        await using var harness = new SupervisorHarness(output);
        var model = harness.Create(SupervisorHarness.FakeModel("impatient", "--startup-delay", "600000"));
        using var cancel = new CancellationTokenSource();
        harness.Options = harness.Options with { Spawned = pid => { harness.Track(pid); cancel.CancelAfter(200); } };
        model = harness.Create(model.Config);

        var outcome = await model.StartAsync(cancel.Token);

        Assert.False(outcome.IsReady);
        Assert.Contains("cancelled", outcome.FailureReason);
        Assert.False(ProcFs.IsAlive(Assert.Single(harness.SpawnedPids)));
    }

    [Fact]
    public async Task CrashAfterReady_IsReportedAtOnce_WithExitCodeAndLastOutput()
    {
        await using var harness = new SupervisorHarness(output);
        var model = harness.Create(SupervisorHarness.FakeModel("crashy", "--exit-after", "1500"));
        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);

        Assert.True(await ProcFs.WaitUntil(() => !harness.Faults.IsEmpty, Bound), "no fault reported");
        var fault = Assert.Single(harness.Faults);
        Assert.Equal("crashy", fault.ModelId);
        Assert.Equal(3, fault.ExitCode);
        Assert.Contains("fake: exiting after 1500 ms as asked", fault.Reason);
        Assert.Null(model.Pid);

        var stop = await model.StopAsync(StopReason.Failure);
        Assert.False(stop.Killed);
        Assert.Single(harness.Faults); // stopping the dead process is not a second fault
    }

    [Fact]
    public async Task Stop_DeliberateStop_IsNotReportedAsAFault()
    {
        await using var harness = new SupervisorHarness(output);
        var model = harness.Create(SupervisorHarness.FakeModel("calm"));
        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);
        var pid = model.Pid!.Value;

        var stop = await model.StopAsync(StopReason.Unload);

        Assert.False(stop.Killed);
        Assert.False(ProcFs.IsAlive(pid));
        Assert.Contains("fake: SIGTERM, exiting", model.RecentOutput(50));
        await Task.Delay(100); // let a (wrong) crash report arrive if one were coming
        Assert.Empty(harness.Faults);
    }

    [Fact]
    public async Task Stop_ServerIgnoringSigterm_IsKilledAtTheGracePeriod()
    {
        await using var harness = new SupervisorHarness(output);
        var config = SupervisorHarness.FakeModel("stubborn", "--ignore-sigterm") with { UnloadTimeout = TimeSpan.FromSeconds(1) };
        var model = harness.Create(config);
        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);
        var pid = model.Pid!.Value;

        var stop = await model.StopAsync(StopReason.Swap);

        output.WriteLine($"stop took {stop.Elapsed.TotalMilliseconds:0} ms with a {config.UnloadTimeout.TotalMilliseconds:0} ms grace");
        Assert.True(stop.Killed);
        Assert.Equal(128 + LibC.SIGKILL, stop.ExitCode);
        // The grace timer and the stop's stopwatch are different clocks: the timer may fire a millisecond or so before
        // the stopwatch reads the full grace (seen: 998.8 ms for 1 s). The test is about "killed at the grace, not
        // long after", so the lower bound allows that skew.
        Assert.InRange(stop.Elapsed, config.UnloadTimeout - TimeSpan.FromMilliseconds(50), config.UnloadTimeout + TimeSpan.FromSeconds(1));
        Assert.Contains("fake: ignoring SIGTERM as asked", model.RecentOutput(50));
        Assert.False(ProcFs.IsAlive(pid));
    }

    [Fact]
    public async Task Stop_GrandchildHoldingStdout_ReturnsWithinGraceAndTheGrandchildIsGone()
    {
        await using var harness = new SupervisorHarness(output);
        var config = SupervisorHarness.FakeModel("parent", "--fork-grandchild") with { UnloadTimeout = TimeSpan.FromSeconds(2) };
        var model = harness.Create(config);
        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);
        var grandchild = GrandchildPid(model);
        Assert.True(ProcFs.IsAlive(grandchild));

        var stop = await model.StopAsync(StopReason.Swap);

        output.WriteLine($"stop took {stop.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(stop.Elapsed < config.UnloadTimeout + TimeSpan.FromSeconds(2), $"stop took {stop.Elapsed}");
        Assert.True(await ProcFs.WaitUntil(() => !ProcFs.IsAlive(grandchild), TimeSpan.FromSeconds(2)), "grandchild survived the stop");
    }

    [Fact]
    public async Task Stop_ServerStoppedWithSigstop_StillStopsGracefully()
    {
        await using var harness = new SupervisorHarness(output);
        var model = harness.Create(SupervisorHarness.FakeModel("frozen"));
        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);
        var pid = model.Pid!.Value;
        Sys.kill(pid, LibC.SIGSTOP);
        Assert.True(await ProcFs.WaitUntil(() => ProcFs.StatFields(pid)[0] == "T", Bound), "never stopped");

        var stop = await model.StopAsync(StopReason.Swap);

        Assert.False(stop.Killed); // SIGCONT after SIGTERM let it exit on SIGTERM
        Assert.False(ProcFs.IsAlive(pid));
    }

    [Fact]
    public async Task Stop_WithCmdStop_RunsItWithThePid()
    {
        await using var harness = new SupervisorHarness(output);
        var marker = harness.Marker("cmdstop");
        var config = SupervisorHarness.FakeModel("custom") with
        {
            StopCommand = ["/bin/sh", "-c", $"echo \"$0 $PID\" > {marker}; kill -TERM $0", "${PID}"],
        };
        var model = harness.Create(config);
        Assert.True((await model.StartAsync(CancellationToken.None)).IsReady);
        var pid = model.Pid!.Value;

        var stop = await model.StopAsync(StopReason.Unload);

        Assert.False(stop.Killed);
        Assert.Equal($"{pid} {pid}", File.ReadAllText(marker).Trim());
        Assert.False(ProcFs.IsAlive(pid));
    }

    private static async Task CloseFromTheServerSideAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await socket.SendAsync("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray(), SocketFlags.None);
        var buffer = new byte[4096];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None) > 0)
        {
        }
    }

    private static int GrandchildPid(ModelProcess model)
    {
        var line = model.RecentOutput(100).Single(l => l.StartsWith("fake: grandchild pid=", StringComparison.Ordinal));
        return int.Parse(line["fake: grandchild pid=".Length..], CultureInfo.InvariantCulture);
    }
}
