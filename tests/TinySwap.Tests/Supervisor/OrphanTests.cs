using System.Diagnostics;
using System.Globalization;
using TinySwap.Native;
using TinySwap.Tests.EndToEnd;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Supervisor;

/// <summary>
/// `kill -9` of tinyswap must take its models down. The parent here is dist/tinyswap serving two FakeUpstream models
/// that run together (spawned by the real supervisor through the spawn thread and the exec shim); the test SIGKILLs it.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class OrphanTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task KillDashNine_OfTinySwapWithTwoModelsUp_LeavesNoProcessOfTheirs()
    {
        // --fork-grandchild: each model leaves a `sleep` in its group, beyond the reach of the death signal.
        var a = new FakeModel("held0", "--fork-grandchild");
        var b = new FakeModel("held1", "--fork-grandchild");
        const string together = "groups:\n  both:\n    swap: false\n    members: [held0, held1]\n";
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config(together, a, b));
        await TinySwapApi.LoadAsync(tinyswap.Port, "held0");
        await TinySwapApi.LoadAsync(tinyswap.Port, "held1");
        var models = new[] { await TinySwapApi.ReadyPidAsync(tinyswap.Port, "held0"), await TinySwapApi.ReadyPidAsync(tinyswap.Port, "held1") };
        var theirs = models.SelectMany(ProcFs.GroupMembers).ToList();
        Assert.True(theirs.Count >= 4, $"expected the models and their grandchildren, found {string.Join(",", theirs)}");
        var watchdog = WatchdogsOf(tinyswap.Pid);
        Assert.Single(watchdog);

        tinyswap.Signal(LibC.SIGKILL);
        await tinyswap.WaitForExitAsync();

        foreach (var pid in theirs.Concat(watchdog))
            Assert.True(await ProcFs.WaitUntil(() => !ProcFs.IsAlive(pid), TimeSpan.FromSeconds(2)), $"pid {pid} outlived tinyswap by 2 s");
    }

    /// <summary>tinyswap's `__watchdog` helper: its child, started with a bare environment (so it has no test marker).</summary>
    private static List<int> WatchdogsOf(int parent) => Directory.EnumerateDirectories("/proc")
        .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
        .Where(pid => pid > 0 && TryParent(pid) == parent && ProcessTable.CommandLine(pid).Contains("__watchdog", StringComparison.Ordinal))
        .ToList();

    private static int? TryParent(int pid)
    {
        try
        {
            return int.Parse(ProcFs.StatFields(pid)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The control: the same two models under a parent without tinyswap's protection outlive it, so the test above can fail.</summary>
    [Fact]
    public async Task KillDashNine_OfAPlainParent_LeavesOrphans()
    {
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        var script = string.Join(' ', ports.Select((port, i) =>
            $"'{RepoPaths.FakeUpstreamBinary}' --port {port} --model held{i} & echo $!;")) + " wait";
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardInput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var holder = Process.Start(start)!;
        var models = new List<int>();
        try
        {
            for (var i = 0; i < ports.Length; i++)
                models.Add(int.Parse((await holder.StandardOutput.ReadLineAsync().WaitAsync(Bound))!, CultureInfo.InvariantCulture));

            holder.Kill();
            await holder.WaitForExitAsync();
            await Task.Delay(TimeSpan.FromSeconds(1)); // what tinyswap's models would not survive

            Assert.All(models, pid => Assert.True(ProcFs.IsAlive(pid), $"pid {pid} died without a death signal"));
        }
        finally
        {
            if (!holder.HasExited)
                holder.Kill();
            foreach (var pid in models)
                Sys.kill(pid, LibC.SIGKILL);
        }
    }
}
