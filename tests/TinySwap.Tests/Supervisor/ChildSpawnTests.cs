using System.Collections.Concurrent;
using System.Globalization;
using TinySwap.Native;
using TinySwap.Supervisor;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Supervisor;

/// <summary>The spawn thread and child watcher on their own: what the child inherits, exits, reaping, leaks.</summary>
[Collection(SupervisorCollection.Name)]
public sealed class ChildSpawnTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Child_GetsOwnSession_DevNullStdin_AndNoOtherDescriptor(bool useShim)
    {
        var sink = new LineSink();
        var child = await SpawnAsync(["/bin/sh", "-c", "echo ready; while :; do sleep 1; done"], sink, useShim);
        try
        {
            // "ready" comes from the shell itself, past any exec and start-up file access: look from outside.
            Assert.True(await ProcFs.WaitUntil(() => sink.Lines.Contains((OutputStream.Stdout, "ready")), Bound), "no 'ready' line");
            Assert.Equal("sh", File.ReadAllText($"/proc/{child.Pid}/comm").Trim());

            var fds = Directory.GetFileSystemEntries($"/proc/{child.Pid}/fd").Select(p => Path.GetFileName(p)!).Order().ToArray();
            Assert.Equal(["0", "1", "2"], fds); // the test host has two descriptors without CLOEXEC: not inherited
            Assert.Equal("/dev/null", new FileInfo($"/proc/{child.Pid}/fd/0").LinkTarget);
            Assert.StartsWith("pipe:", new FileInfo($"/proc/{child.Pid}/fd/1").LinkTarget);

            var stat = ProcFs.StatFields(child.Pid);
            Assert.Equal(child.Pid.ToString(CultureInfo.InvariantCulture), stat[2]); // process group leader
            Assert.Equal(child.Pid.ToString(CultureInfo.InvariantCulture), stat[3]); // session leader
            Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), stat[1]); // the shim exec'd, not forked
        }
        finally
        {
            child.SignalGroup(LibC.SIGKILL);
        }
        Assert.Equal(LibC.SIGKILL, (await child.Exited.WaitAsync(Bound)).Signal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Child_StartsWithDefaultSignalDispositions_AndAnEmptyMask(bool useShim)
    {
        var sink = new LineSink();
        // grep reads its own status right after exec, before anything could change it.
        var child = await SpawnAsync(["/bin/grep", "-E", "^(SigIgn|SigBlk)", "/proc/self/status"], sink, useShim);
        Assert.Equal(0, (await child.Exited.WaitAsync(Bound)).Code);
        await child.OutputClosed.WaitAsync(Bound);

        var status = sink.Lines.ToDictionary(l => l.Text.Split(':')[0], l => l.Text.Split(':', 2)[1].Trim());
        // NativeAOT's SIG_IGN for SIGPIPE did not leak. Spawned directly, glibc's posix_spawn leaves its two
        // internal signals (32, 33) ignored; only the shim can reset those (see ExecShim).
        Assert.Equal(useShim ? "0000000000000000" : "0000000180000000", status["SigIgn"]);
        Assert.Equal("0000000000000000", status["SigBlk"]);
    }

    [Fact]
    public async Task Exit_ReportsCodeAndOutput_InOrder()
    {
        var sink = new LineSink();
        var child = await SpawnAsync(["/bin/sh", "-c", "echo out1; echo err1 >&2; printf 'no newline'; exit 7"], sink, useShim: true);
        var exit = await child.Exited.WaitAsync(Bound);
        await child.OutputClosed.WaitAsync(Bound);
        Assert.Equal(new ExitStatus(7, null), exit);
        Assert.Contains((OutputStream.Stdout, "out1"), sink.Lines);
        Assert.Contains((OutputStream.Stderr, "err1"), sink.Lines);
        Assert.Contains((OutputStream.Stdout, "no newline"), sink.Lines);
    }

    [Fact]
    public async Task ShimExecFailure_Exits127_WithOneStderrLine()
    {
        var sink = new LineSink();
        var child = await SpawnAsync(["/nonexistent/server", "--port", "1"], sink, useShim: true);
        var exit = await child.Exited.WaitAsync(Bound);
        await child.OutputClosed.WaitAsync(Bound);
        Assert.Equal(ExecShim.ExecFailedExitCode, exit.Code);
        var line = Assert.Single(sink.Lines);
        Assert.Equal(OutputStream.Stderr, line.Stream);
        Assert.Contains("cannot run '/nonexistent/server'", line.Text);
    }

    [Fact]
    public async Task GrandchildHoldingThePipe_DoesNotBlockExit_AndIsKilledWithTheGroup()
    {
        var sink = new LineSink();
        var child = await SpawnAsync(["/bin/sh", "-c", "sleep 300 & echo grandchild=$!; exit 0"], sink, useShim: true, killGroupOnExit: true);
        var exit = await child.Exited.WaitAsync(Bound);
        Assert.Equal(0, exit.Code);
        await child.OutputClosed.WaitAsync(Bound); // EOF: the group SIGKILL took the grandchild and its pipe end
        var grandchild = int.Parse(sink.Lines.Single(l => l.Text.StartsWith("grandchild=", StringComparison.Ordinal)).Text["grandchild=".Length..], CultureInfo.InvariantCulture);
        Assert.True(await ProcFs.WaitUntil(() => !ProcFs.IsAlive(grandchild), Bound), "grandchild survived");
    }

    [Fact]
    public async Task GrandchildOutsideTheGroup_HoldingThePipe_IsCutOffAfterTheDrainTimeout()
    {
        var sink = new LineSink();
        // setsid puts the sleeper beyond our group kill: only the drain timeout can end the wait for EOF.
        var child = await SpawnAsync(["/bin/sh", "-c", "setsid sleep 30 & echo started; exit 0"], sink, useShim: true, killGroupOnExit: true);
        await child.Exited.WaitAsync(Bound);
        var exitedAt = DateTime.UtcNow;
        await child.OutputClosed.WaitAsync(Bound);
        var waited = DateTime.UtcNow - exitedAt;
        Assert.True(waited < TimeSpan.FromSeconds(5), $"output closed {waited} after exit");
        foreach (var pid in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)))
        {
            if (File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline") == "sleep\u000030\u0000")
                Sys.kill(int.Parse(pid!, CultureInfo.InvariantCulture), LibC.SIGKILL);
        }
    }

    [Fact]
    public async Task FiveHundredSpawnExitCycles_LeaveNoZombieAndNoDescriptor()
    {
        // Warm up: the watcher's wake pipe, the spawn thread and the runtime's own lazily opened files.
        for (var i = 0; i < 3; i++)
            await RunToEnd(["/bin/true"], useShim: i % 2 == 0);
        var fdsBefore = OpenDescriptors();

        var started = DateTime.UtcNow;
        for (var i = 0; i < 500; i++)
            await RunToEnd(["/bin/true"], useShim: i % 2 == 0);
        var elapsed = DateTime.UtcNow - started;

        Assert.Empty(ProcFs.ZombieChildren(Environment.ProcessId));
        // The test host shares the process with the end of earlier tests' work (their child processes' pipes close
        // on the runtime's own schedule), so the count may wobble by a descriptor or two while it settles; a leak per
        // spawn would be hundreds.
        var fdsAfter = OpenDescriptors();
        for (var wait = 0; fdsAfter > fdsBefore && wait < 50; wait++)
        {
            await Task.Delay(100);
            fdsAfter = OpenDescriptors();
        }
        Assert.InRange(fdsAfter, 0, fdsBefore + 4);
        Console.WriteLine($"500 spawn/exit cycles (half through the shim): {elapsed.TotalMilliseconds:0} ms");
    }

    /// <summary>
    /// Open descriptors other than sockets, once finalizers have closed whatever earlier tests left to the GC. What a
    /// spawn could leak is pipes, pidfds and files; sockets are left out because pooled upstream connections from
    /// earlier tests (health probes) close on their own idle timer, at any moment during this test.
    /// </summary>
    private static int OpenDescriptors()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var count = 0;
        foreach (var fd in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue;   // closed while we looked
            }
            if (target is null || !target.StartsWith("socket:", StringComparison.Ordinal))
                count++;
        }
        return count;
    }

    private static async Task RunToEnd(string[] argv, bool useShim)
    {
        var child = await SpawnAsync(argv, new LineSink(), useShim);
        var exit = await child.Exited.WaitAsync(Bound);
        await child.OutputClosed.WaitAsync(Bound);
        Assert.Equal(0, exit.Code);
    }

    internal static async Task<ChildProcess> SpawnAsync(string[] argv, IOutputSink sink, bool useShim, bool killGroupOnExit = false)
    {
        var result = await SpawnThread.Instance.SpawnAsync(new SpawnSpec(
            argv[0], argv, ["PATH=/usr/local/bin:/usr/bin:/bin"], useShim ? RepoPaths.TinySwapBinary : null, sink,
            killGroupOnExit, TimeSpan.FromMilliseconds(300)));
        return result.Child ?? throw new InvalidOperationException(result.Error);
    }
}
