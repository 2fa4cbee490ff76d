using TinySwap.Supervisor;

namespace TinySwap.Tests.Supervisor;

/// <summary>Reaping without a pidfd, and when someone else reaped first.</summary>
[Collection(SupervisorCollection.Name)]
public sealed class ReapingTests
{
    [Fact]
    public async Task WithoutPidFd_SigchldFallback_StillReapsWithTheExitCode()
    {
        SpawnThread.WithoutPidFd = true;
        try
        {
            var child = await ChildSpawnTests.SpawnAsync(["/bin/sh", "-c", "sleep 0.2; exit 4"], new LineSink(), useShim: true);
            var exit = await child.Exited.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(4, exit.Code);
            Assert.Empty(ProcFs.ZombieChildren(Environment.ProcessId));
        }
        finally
        {
            SpawnThread.WithoutPidFd = false;
        }
    }

    [Fact]
    public async Task TryReap_PidThatIsNotOurChild_ECHILD_MeansExitedWithUnknownStatus()
    {
        // What happens when the runtime reaped first (we run as PID 1, or SIGCHLD was inherited ignored):
        // waitpid(pid) says ECHILD. Pid 1 is never our child; the group is not touched (KillGroupOnExit false).
        var child = new ChildProcess(1, -1, -1, -1, new LineSink(), killGroupOnExit: false, TimeSpan.Zero);

        Assert.True(child.TryReap(exitKnown: true));
        Assert.Equal(ExitStatus.Unknown, await child.Exited);
        Assert.False(child.SignalGroup(0)); // and nothing is ever sent to a reaped pid
    }
}
