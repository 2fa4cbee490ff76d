using System.Diagnostics;
using System.Globalization;
using TinySwap.Native;
using TinySwap.Supervisor;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Supervisor;

/// <summary>
/// `kill -9` of tinyswap must take its models down. The parent here is dist/tinyswap itself in its hidden
/// `__hold-models` mode: the real supervisor spawns two FakeUpstream models through the spawn thread and
/// the exec shim, reports their pids, and is then SIGKILLed by the test.
/// </summary>
[Collection(SupervisorCollection.Name)]
public sealed class OrphanTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task KillDashNine_OfTinySwapWithTwoModelsUp_LeavesNoProcessOfTheirs()
    {
        // --fork-grandchild: each model leaves a `sleep` in its group, beyond the reach of the death signal.
        var (holder, models, watchdog) = await StartHolderAsync(useShim: true, "--fork-grandchild");
        try
        {
            var theirs = models.SelectMany(ProcFs.GroupMembers).ToList();
            Assert.True(theirs.Count >= 4, $"expected the models and their grandchildren, found {string.Join(",", theirs)}");
            Assert.NotNull(watchdog);

            holder.Kill();
            await holder.WaitForExitAsync();

            foreach (var pid in theirs.Append(watchdog.Value))
                Assert.True(await ProcFs.WaitUntil(() => !ProcFs.IsAlive(pid), TimeSpan.FromSeconds(2)), $"pid {pid} outlived tinyswap by 2 s");
        }
        finally
        {
            Cleanup(holder, models);
        }
    }

    /// <summary>The control: the same scene without the shim leaves orphans, so the test above can fail.</summary>
    [Fact]
    public async Task KillDashNine_WithoutTheShim_LeavesOrphans()
    {
        var (holder, models, watchdog) = await StartHolderAsync(useShim: false);
        try
        {
            Assert.Null(watchdog); // no launcher, no watchdog either
            holder.Kill();
            await holder.WaitForExitAsync();
            await Task.Delay(TimeSpan.FromSeconds(1)); // what the shim'd models would not survive

            Assert.All(models, pid => Assert.True(ProcFs.IsAlive(pid), $"pid {pid} died without a death signal"));
        }
        finally
        {
            Cleanup(holder, models);
        }
    }

    private static async Task<(Process Holder, List<int> Models, int? Watchdog)> StartHolderAsync(bool useShim, params string[] modelFlags)
    {
        var start = new ProcessStartInfo(RepoPaths.TinySwapBinary) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(HoldModelsMode.Verb);
        if (!useShim)
            start.ArgumentList.Add("--no-shim");
        for (var i = 0; i < 2; i++)
        {
            if (i > 0)
                start.ArgumentList.Add(";;");
            var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
            foreach (var arg in new[] { port, RepoPaths.FakeUpstreamBinary, "--port", port, "--model", "held" + i }.Concat(modelFlags))
                start.ArgumentList.Add(arg);
        }
        var holder = Process.Start(start)!;
        var models = new List<int>();
        int? watchdog = null;
        try
        {
            while (true)
            {
                var line = await holder.StandardOutput.ReadLineAsync().WaitAsync(Bound)
                    ?? throw new InvalidOperationException("holder exited: " + await holder.StandardError.ReadToEndAsync());
                var words = line.Split(' ');
                if (words[0] == "held")
                    break;
                var pid = int.Parse(words[1], CultureInfo.InvariantCulture);
                if (words[0] == "ready")
                    models.Add(pid);
                else
                    watchdog = pid;
            }
        }
        catch
        {
            Cleanup(holder, models);
            throw;
        }
        return (holder, models, watchdog);
    }

    private static void Cleanup(Process holder, List<int> models)
    {
        if (!holder.HasExited)
            holder.Kill();
        foreach (var pid in models)
            Sys.killpg(pid, LibC.SIGKILL);
        holder.Dispose();
    }
}
