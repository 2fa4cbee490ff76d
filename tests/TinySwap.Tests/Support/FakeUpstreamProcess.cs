using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace TinySwap.Tests.Support;

/// <summary>
/// A running dist/FakeUpstream for one test. Start() returns once it printed its "listening" line, so the
/// port accepts connections; Dispose() SIGKILLs its whole process group and waits for it, so nothing
/// outlives the test — not even a --fork-grandchild sleeper that its parent left behind.
/// </summary>
/// <remarks>
/// It runs under setsid(1): a session and process group of its own whose id is its pid, so one
/// kill(-pid, SIGKILL) reaches every descendant even after the fake itself died and its children were
/// re-parented (a tree walk from the pid would miss those). Without an explicit --port it listens on
/// port 0 and reports the port the kernel chose, so two tests can never race for one port.
/// Typical use:
/// <code>
/// using var fake = FakeUpstreamProcess.Start("--model", "m1");
/// var response = await RawHttp.GetAsync(fake.Port, "/health");
/// </code>
/// </remarks>
internal sealed partial class FakeUpstreamProcess : IDisposable
{
    private const int SIGKILL = 9;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly LineLog _stdout = new();
    private readonly LineLog _stderr = new();
    private bool _disposed;

    private FakeUpstreamProcess(Process process) => _process = process;

    /// <summary>The fake's pid (also its process-group and session id).</summary>
    public int Pid { get; private set; }

    public int Port { get; private set; }

    public string Model { get; private set; } = "";

    /// <summary>Starts it with these flags (adding --port 0 unless given) and waits for "listening".</summary>
    public static FakeUpstreamProcess Start(params string[] args)
    {
        var fake = Spawn(args.Contains("--port") ? args : [.. args, "--port", "0"]);
        try
        {
            var line = fake._stdout.WaitFor(l => l.StartsWith("fake: listening on ", StringComparison.Ordinal), StartTimeout)
                ?? throw new InvalidOperationException($"FakeUpstream did not report listening within {StartTimeout}: {fake.Describe()}");
            var match = ListeningLine().Match(line);
            fake.Port = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
            fake.Model = match.Groups["model"].Value;
            fake.Pid = int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture);
            return fake;
        }
        catch
        {
            fake.Dispose();
            throw;
        }
    }

    /// <summary>Starts it without waiting for anything: for tests of flags that make it fail or exit.</summary>
    public static FakeUpstreamProcess StartWithoutWaiting(params string[] args)
    {
        var fake = Spawn(args);
        fake.Pid = fake._process.Id;
        return fake;
    }

    private static FakeUpstreamProcess Spawn(string[] args)
    {
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true, // so the fake never reads the test runner's stdin
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // --wait keeps the exit code ours should setsid ever need to fork (it does when already a group leader).
        start.ArgumentList.Add("--wait");
        start.ArgumentList.Add(RepoPaths.FakeUpstreamBinary);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);

        var process = new Process { StartInfo = start };
        var fake = new FakeUpstreamProcess(process);
        process.OutputDataReceived += (_, e) => fake._stdout.Add(e.Data);
        process.ErrorDataReceived += (_, e) => fake._stderr.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return fake;
    }

    public IReadOnlyList<string> StdoutLines => _stdout.Snapshot();

    public IReadOnlyList<string> StderrLines => _stderr.Snapshot();

    /// <summary>The first stderr line matching, waiting for it until the stream closes or the timeout (then null).</summary>
    public string? WaitForStderrLine(Func<string, bool> match, TimeSpan? timeout = null) =>
        _stderr.WaitFor(match, timeout ?? StartTimeout);

    /// <summary>Sends a signal to the fake alone (not its group), e.g. to test what SIGTERM does.</summary>
    public void Signal(int signal)
    {
        if (Kill(Pid, signal) != 0)
            throw new InvalidOperationException($"kill({Pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the fake to exit and returns its exit code (128+N when killed by signal N), or null on timeout.</summary>
    public int? WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout) ? _process.ExitCode : null;

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        // The whole group: the fake, and whatever it started, wherever they were re-parented.
        Kill(-_process.Id, SIGKILL);
        if (Pid != 0 && Pid != _process.Id)
            Kill(-Pid, SIGKILL);
        _process.WaitForExit(StartTimeout);
        _process.Dispose();
    }

    private string Describe() =>
        $"exited={_process.HasExited} stdout=[{string.Join(" | ", StdoutLines)}] stderr=[{string.Join(" | ", StderrLines)}]";

    [GeneratedRegex(@"^fake: listening on \S+:(?<port>\d+) model=(?<model>\S*) pid=(?<pid>\d+)$")]
    private static partial Regex ListeningLine();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
