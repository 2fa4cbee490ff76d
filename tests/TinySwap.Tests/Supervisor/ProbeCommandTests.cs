using TinySwap.LlamaCpp.Memory;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Supervisor;

/// <summary>The nvidia-smi probe (resources: auto) against fake nvidia-smi scripts.</summary>
[Collection(SupervisorCollection.Name)]
public sealed class ProbeCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tinyswap-probe-");

    [Fact]
    public void QueryNvidiaSmi_AnAnsweringCommand_ReturnsItsStdoutOnly()
    {
        var smi = Script("echo 24564; echo 8192; echo 'a warning' >&2");
        var output = new SystemMemory(smi, TimeSpan.FromSeconds(30)).QueryNvidiaSmi();
        Assert.Equal("24564\n8192\n", output);
        Assert.Equal([24564L, 8192], NvidiaSmiParser.GpuMemoryMiB(output!));
    }

    [Fact]
    public void QueryNvidiaSmi_AHungCommand_IsKilledWithItsGroupAndReadsAsNoGpu()
    {
        // A driver that never answers: the command and a child it left in its group both hang.
        var pids = Path.Combine(_directory.FullName, "pids");
        var smi = Script($"sleep 600 & echo $! > {pids}.tmp; echo $$ >> {pids}.tmp; mv {pids}.tmp {pids}; echo 24564; sleep 600");

        Assert.Null(new SystemMemory(smi, TimeSpan.FromSeconds(3)).QueryNvidiaSmi());

        var started = File.ReadAllLines(pids).Select(int.Parse).ToList();
        Assert.Equal(2, started.Count);
        // SIGKILL is sent to the group before the probe returns; the left-behind child dies as the kernel gets to it.
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); started.Any(ProcessTable.IsAlive) && waited.Elapsed < TimeSpan.FromSeconds(10);)
            Thread.Sleep(10);
        Assert.All(started, pid => Assert.False(ProcessTable.IsAlive(pid), $"pid {pid} survived the deadline"));
    }

    [Fact]
    public void QueryNvidiaSmi_FailingOrMissingCommand_IsNull()
    {
        Assert.Null(new SystemMemory(Script("echo 24564; exit 9"), TimeSpan.FromSeconds(30)).QueryNvidiaSmi());
        Assert.Null(new SystemMemory("no-such-nvidia-smi-" + Guid.NewGuid().ToString("N"), TimeSpan.FromSeconds(30)).QueryNvidiaSmi());
    }

    private string Script(string body)
    {
        var path = Path.Combine(_directory.FullName, "nvidia-smi-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (OperatingSystem.IsLinux())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
