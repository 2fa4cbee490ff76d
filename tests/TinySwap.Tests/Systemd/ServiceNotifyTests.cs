using System.Net.Sockets;
using TinySwap.Tests.EndToEnd;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Systemd;

/// <summary>dist/tinyswap run the way systemd runs a Type=notify service with WatchdogSec=, against a socket the test owns.</summary>
public sealed class ServiceNotifyTests
{
    private static readonly TimeSpan Bound = TinySwapServer.Generous;

    [Fact]
    public async Task UnderSystemd_ReadyAfterListen_ReloadingThenReadyAroundSighup_WatchdogPings_StoppingOnSigterm()
    {
        using var listener = NotifyListener.Abstract();
        var model = new FakeModel("a");
        var environment = new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = listener.Address,
            ["WATCHDOG_USEC"] = "600000", // a ping every 300 ms
        };
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model), environment);

        var ready = await listener.ReceiveUntilAsync("READY=1", Bound);
        Assert.Single(ready);
        Assert.Contains("STATUS=serving, no model loaded (1 configured)", NotifyListener.Lines(ready[0]));
        using (var client = new TcpClient())
            await client.ConnectAsync("127.0.0.1", tinyswap.Port); // READY=1 means the port is bound

        var pings = await listener.ReceiveUntilAsync("WATCHDOG=1", Bound);
        Assert.Single(pings);

        tinyswap.Signal(ProcessTable.SIGHUP);
        var reloading = await listener.ReceiveUntilAsync("RELOADING=1", Bound);
        Assert.Contains(NotifyListener.Lines(reloading[^1]), line => line.StartsWith("MONOTONIC_USEC=", StringComparison.Ordinal));
        var afterReload = await listener.ReceiveUntilAsync("READY=1", Bound);
        Assert.DoesNotContain(afterReload, m => NotifyListener.Lines(m).Contains("STOPPING=1"));

        tinyswap.Signal(ProcessTable.SIGTERM);
        await listener.ReceiveUntilAsync("STOPPING=1", Bound);
        Assert.Equal(0, await tinyswap.WaitForExitAsync());
    }

    [Fact]
    public async Task UnderSystemd_AFailedReload_StillEndsWithReady_NamingTheFailureUntilAReloadWorks()
    {
        // Type=notify-reload: systemd waits for READY=1 after RELOADING=1, so a broken file must not leave it hanging.
        using var listener = NotifyListener.Abstract();
        var model = new FakeModel("a");
        var config = FakeModel.Config("", model);
        await using var tinyswap = await TinySwapServer.StartAsync(config,
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = listener.Address, ["WATCHDOG_USEC"] = "60000000" });
        await listener.ReceiveUntilAsync("READY=1", Bound);

        tinyswap.WriteConfig("models:\n  a: [not, a, model]\n");
        tinyswap.Signal(ProcessTable.SIGHUP);
        await listener.ReceiveUntilAsync("RELOADING=1", Bound);
        var failed = (await listener.ReceiveUntilAsync("READY=1", Bound))[^1];
        var status = Assert.Single(NotifyListener.Lines(failed), line => line.StartsWith("STATUS=", StringComparison.Ordinal));
        Assert.Matches(@"^STATUS=serving, .*; reload failed: \d+ error\(s\) in " + System.Text.RegularExpressions.Regex.Escape(tinyswap.ConfigPath)
            + "; the running config stays$", status);
        Assert.Equal(200, (await TinySwapApi.CompleteAsync(tinyswap.Port, "a")).Status); // still serving the old config

        tinyswap.WriteConfig(config);
        tinyswap.Signal(ProcessTable.SIGHUP);
        await listener.ReceiveUntilAsync("RELOADING=1", Bound);
        var repaired = (await listener.ReceiveUntilAsync("READY=1", Bound))[^1];
        Assert.DoesNotContain("reload failed", repaired, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsDoNotInheritTheNotifySocket()
    {
        using var listener = NotifyListener.Abstract();
        var model = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model),
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = listener.Address, ["WATCHDOG_USEC"] = "60000000" });
        await listener.ReceiveUntilAsync("READY=1", Bound);

        await TinySwapApi.LoadAsync(tinyswap.Port, "a");
        var pid = await TinySwapApi.ReadyPidAsync(tinyswap.Port, "a");

        var environment = await File.ReadAllTextAsync($"/proc/{pid}/environ");
        Assert.DoesNotContain("NOTIFY_SOCKET=", environment, StringComparison.Ordinal);
        Assert.DoesNotContain("WATCHDOG_USEC=", environment, StringComparison.Ordinal);
    }
}
