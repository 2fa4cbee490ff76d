using System.Diagnostics;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.FakeUpstream;

/// <summary>Each flag's behaviour, on its own fake process.</summary>
public sealed class FakeUpstreamFlagTests
{
    private const int SIGTERM = 15;
    private const int SIGKILL = 9;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Start_PrintsListeningLineWithPortModelAndPid()
    {
        using var fake = FakeUpstreamProcess.Start("--model", "named");
        Assert.Equal("named", fake.Model);
        Assert.True(fake.Port > 0);
        Assert.True(Directory.Exists($"/proc/{fake.Pid}"));
    }

    [Fact]
    public async Task Port_GivenExplicitly_IsUsed()
    {
        var port = FreePort.Next();
        using var fake = FakeUpstreamProcess.Start("--port", port.ToString());
        Assert.Equal(port, fake.Port);
        Assert.Equal(200, (await RawHttp.GetAsync(port, "/health")).Status);
    }

    [Fact]
    public async Task StartupDelay_HealthIs503ThenOkAfterTheDelay()
    {
        var sinceStart = Stopwatch.StartNew();
        using var fake = FakeUpstreamProcess.Start("--startup-delay", "2000");
        var first = await RawHttp.GetAsync(fake.Port, "/health");
        Assert.Equal(503, first.Status);

        RawHttpResponse health;
        do
        {
            Assert.True(sinceStart.Elapsed < Patience, "health never turned 200");
            await Task.Delay(50); // polling is the only signal a loading server gives
            health = await RawHttp.GetAsync(fake.Port, "/health");
        } while (health.Status == 503);
        Assert.Equal(200, health.Status);
        Assert.True(sinceStart.ElapsedMilliseconds >= 2000, $"ready after only {sinceStart.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void ExitAfter_ExitsWithCode3AndSaysWhy()
    {
        using var fake = FakeUpstreamProcess.Start("--exit-after", "200");
        Assert.Equal(3, fake.WaitForExit(Patience));
        Assert.NotNull(fake.WaitForStderrLine(l => l == "fake: exiting after 200 ms as asked"));
    }

    [Fact]
    public async Task IgnoreSigterm_SurvivesTermAndDiesOnKill()
    {
        using var fake = FakeUpstreamProcess.Start("--ignore-sigterm");
        fake.Signal(SIGTERM);
        Assert.NotNull(fake.WaitForStderrLine(l => l == "fake: ignoring SIGTERM as asked"));
        Assert.Equal(200, (await RawHttp.GetAsync(fake.Port, "/health")).Status);
        Assert.False(fake.HasExited);

        fake.Signal(SIGKILL);
        Assert.Equal(128 + SIGKILL, fake.WaitForExit(Patience));
    }

    [Fact]
    public void Sigterm_WithoutIgnoreFlag_Exits()
    {
        using var fake = FakeUpstreamProcess.Start();
        fake.Signal(SIGTERM);
        Assert.NotNull(fake.WaitForExit(Patience));
    }

    [Fact]
    public async Task ForkGrandchild_HoldsOurStdoutAndOutlivesTheFake()
    {
        int grandchild;
        using (var fake = FakeUpstreamProcess.Start("--fork-grandchild"))
        {
            var env = (await RawHttp.GetAsync(fake.Port, "/env")).Json();
            grandchild = env.GetProperty("grandchild_pid").GetInt32();
            Assert.NotNull(fake.WaitForStderrLine(l => l == $"fake: grandchild pid={grandchild}"));
            Assert.Equal(fake.Pid, ParentOf(grandchild));
            var ourStdout = ReadLink($"/proc/{fake.Pid}/fd/1");
            Assert.StartsWith("pipe:", ourStdout);
            Assert.Equal(ourStdout, ReadLink($"/proc/{grandchild}/fd/1"));

            fake.Signal(SIGKILL);
            Assert.Equal(128 + SIGKILL, fake.WaitForExit(Patience));
            Assert.True(IsAlive(grandchild), "the grandchild should outlive its parent");
            Assert.Equal(ourStdout, ReadLink($"/proc/{grandchild}/fd/1"));
        }
        // The fixture's Dispose killed the group, which still held the re-parented grandchild.
        var waited = Stopwatch.StartNew();
        while (IsAlive(grandchild) && waited.Elapsed < Patience)
            await Task.Delay(20); // reaping by the new parent is asynchronous to us
        Assert.False(IsAlive(grandchild), $"grandchild {grandchild} survived the fixture");
    }

    [Fact]
    public void FailStart_ExitsWith1AndAnError()
    {
        using var fake = FakeUpstreamProcess.StartWithoutWaiting("--fail-start");
        Assert.Equal(1, fake.WaitForExit(Patience));
        Assert.NotNull(fake.WaitForStderrLine(l => l.Contains("--fail-start")));
    }

    [Theory]
    [InlineData("--model", "m")]                   // no --port
    [InlineData("--port", "x")]
    [InlineData("--port", "1", "--bogus")]
    public void BadFlags_ExitWith2AndUsage(params string[] args)
    {
        using var fake = FakeUpstreamProcess.StartWithoutWaiting(args);
        Assert.Equal(2, fake.WaitForExit(Patience));
        Assert.NotNull(fake.WaitForStderrLine(l => l.StartsWith("usage:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Slots_WithoutSlotDir_Answer501LikeLlamaServer()
    {
        using var fake = FakeUpstreamProcess.Start();
        Assert.Equal(501, (await RawHttp.PostJsonAsync(fake.Port, "/slots/0?action=save", "{}")).Status);
    }

    [Fact]
    public async Task Slots_UnwritableSlotDir_Answers500WithTheReason()
    {
        using var fake = FakeUpstreamProcess.Start("--slot-dir", "/nonexistent/slots");
        var response = await RawHttp.PostJsonAsync(fake.Port, "/slots/0?action=save", "{}");
        Assert.Equal(500, response.Status);
        Assert.Contains("slot-0.bin", response.Json().GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void PortInUse_ExitsWith1()
    {
        using var first = FakeUpstreamProcess.Start();
        using var second = FakeUpstreamProcess.StartWithoutWaiting("--port", first.Port.ToString());
        Assert.Equal(1, second.WaitForExit(Patience));
    }

    /// <summary>Alive and not a zombie waiting to be reaped.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
    }

    private static string? ReadLink(string path) => new FileInfo(path).LinkTarget;
}
