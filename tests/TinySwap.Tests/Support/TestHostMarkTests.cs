using System.Diagnostics;

namespace TinySwap.Tests.Support;

/// <summary>What a dead test host left behind is swept; what a live one runs is not.</summary>
public sealed class TestHostMarkTests
{
    [Fact]
    public void ChildrenOfThisHost_CarryItsMark()
    {
        using var child = StartSleep(mark: null);
        try
        {
            Assert.Contains((child.Id, TestHostMark.Of(Environment.ProcessId)!), ProcessTable.EnvironmentValues(TestHostMark.Variable));
        }
        finally
        {
            child.Kill();
        }
    }

    [Fact]
    public void SweepOrphans_KillsWhatAGoneHostStarted_AndSparesWhatALiveHostRuns()
    {
        // A host that has exited: a short-lived process whose "PID:STARTTIME" can no longer match a live one.
        using var host = Process.Start("true")!;
        var goneMark = $"{host.Id}:1";
        host.WaitForExit();
        using var orphan = StartSleep(goneMark);
        using var ours = StartSleep(TestHostMark.Of(Environment.ProcessId));
        try
        {
            var killed = TestHostMark.SweepOrphans();

            Assert.Contains(orphan.Id, killed);
            Assert.DoesNotContain(ours.Id, killed);
            Assert.True(orphan.WaitForExit(TimeSpan.FromSeconds(10)));
            Assert.False(ours.HasExited);
        }
        finally
        {
            if (!orphan.HasExited)
                orphan.Kill();
            ours.Kill();
        }
    }

    [Fact]
    public void SweepScript_KillsWhatAGoneHostStarted_AndSparesWhatALiveHostRuns()
    {
        using var orphan = StartSleep("4194305:1"); // above the kernel's largest pid_max (2^22): never a live host
        using var ours = StartSleep(TestHostMark.Of(Environment.ProcessId));
        try
        {
            using var sweep = Process.Start(new ProcessStartInfo(Path.Combine(RepoPaths.Root, "tests", "sweep-orphans.sh"))
            {
                RedirectStandardOutput = true,
                RedirectStandardInput = true,
            })!;
            var output = sweep.StandardOutput.ReadToEnd();
            sweep.WaitForExit();

            Assert.Contains($"killed {orphan.Id} ", output);
            Assert.True(orphan.WaitForExit(TimeSpan.FromSeconds(10)));
            Assert.False(ours.HasExited);
        }
        finally
        {
            if (!orphan.HasExited)
                orphan.Kill();
            ours.Kill();
        }
    }

    private static Process StartSleep(string? mark)
    {
        var start = new ProcessStartInfo("sleep", "300") { RedirectStandardInput = true };
        if (mark is not null)
            start.Environment[TestHostMark.Variable] = mark;
        return Process.Start(start)!;
    }
}
