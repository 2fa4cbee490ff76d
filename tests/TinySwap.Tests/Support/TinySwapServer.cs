using System.Diagnostics;

namespace TinySwap.Tests.Support;

/// <summary>
/// dist/tinyswap serving a config written to a temp directory, on a free 127.0.0.1 port, for end-to-end tests.
/// StartAsync returns once the HTTP server has bound its port (its "Listening on" log line); its log lines are
/// collected; DisposeAsync kills it and every process it started, wherever they were re-parented.
/// </summary>
/// <remarks>
/// Cleanup does not walk the process tree (a model's process group lives in its own session, a grandchild is
/// re-parented to init when its parent dies): tinyswap gets a unique environment marker, every child, hook and
/// grandchild inherits it, and Dispose SIGKILLs whatever in /proc still carries it. Typical use:
/// <code>
/// await using var tinyswap = await TinySwapServer.StartAsync("models:\n  a:\n    cmd: server --port 9001\n    proxy: http://127.0.0.1:9001\n");
/// var response = await RawHttp.PostJsonAsync(tinyswap.Port, "/v1/chat/completions", """{"model":"a"}""");
/// </code>
/// </remarks>
internal sealed class TinySwapServer : IAsyncDisposable
{
    public const string MarkerVariable = "TINYSWAP_E2E_MARKER";

    /// <summary>Bounds every wait for something that should happen; a test never asserts on it.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly LineLog _log = new();
    private readonly LineLog _stderr = new();
    private bool _disposed;

    private TinySwapServer(string directory, int port, IReadOnlyDictionary<string, string>? environment)
    {
        Directory = directory;
        Port = port;
        var start = new ProcessStartInfo(RepoPaths.TinySwapBinary)
        {
            UseShellExecute = false,
            RedirectStandardInput = true, // never the test runner's stdin
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var arg in (string[])["--config", ConfigPath, "--listen", $"127.0.0.1:{port}"])
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        start.Environment[MarkerVariable] = Marker;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => _log.Add(e.Data);
        _process.ErrorDataReceived += (_, e) => _stderr.Add(e.Data);
    }

    /// <summary>The temp directory holding the config (and whatever a test's hooks write there).</summary>
    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "tinyswap.yaml");

    public int Port { get; }

    public int Pid => _process.Id;

    /// <summary>The value of <see cref="MarkerVariable"/> in the environment of tinyswap and everything it starts.</summary>
    public string Marker { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Log lines (stdout) so far.</summary>
    public IReadOnlyList<string> Log => _log.Snapshot();

    /// <summary>
    /// Writes <paramref name="configYaml"/> and starts tinyswap on a free port (retried if the port was taken meanwhile),
    /// with <paramref name="environment"/> added to its environment.
    /// </summary>
    public static async Task<TinySwapServer> StartAsync(string configYaml, IReadOnlyDictionary<string, string>? environment = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var directory = System.IO.Directory.CreateTempSubdirectory("tinyswap-e2e-").FullName;
            var server = new TinySwapServer(directory, FreePort.Next(), environment);
            try
            {
                server.WriteConfig(configYaml);
                server._process.Start();
                server._process.BeginOutputReadLine();
                server._process.BeginErrorReadLine();
                var line = await server.WaitForLogAsync(l => l.Contains("http[2000] Listening on", StringComparison.Ordinal)
                                                            || l.Contains("cannot serve", StringComparison.Ordinal));
                if (line.Contains("Listening on", StringComparison.Ordinal))
                    return server;
                if (attempt == 3)
                    throw new InvalidOperationException($"tinyswap could not listen: {server.Describe()}");
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
            await server.DisposeAsync();
        }
    }

    public void WriteConfig(string configYaml) => File.WriteAllText(ConfigPath, configYaml);

    /// <summary>Rewrites the config, sends SIGHUP and waits until the router has applied it.</summary>
    public async Task ReloadAsync(string configYaml)
    {
        var before = CountLog(IsReloadApplied);
        WriteConfig(configYaml);
        Signal(ProcessTable.SIGHUP);
        await WaitForLogAsync(IsReloadApplied, before + 1);
    }

    private static bool IsReloadApplied(string line) => line.Contains("router[4012] Config reloaded", StringComparison.Ordinal);

    /// <summary>The <paramref name="count"/>-th log line matching; fails the test (with the log) if it does not come.</summary>
    public async Task<string> WaitForLogAsync(Func<string, bool> match, int count = 1)
    {
        var line = await Task.Run(() => _log.WaitForCount(match, count, Generous));
        return line ?? throw new Xunit.Sdk.XunitException($"expected log line #{count} did not come: {Describe()}");
    }

    /// <summary>
    /// The first log line containing <paramref name="fragment"/>, waiting for it: lines reach stdout through the
    /// logger's queue, so a line about something the test has already seen happen may still be on its way.
    /// </summary>
    public Task<string> WaitForLogAsync(string fragment) => WaitForLogAsync(line => line.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Position of the first log line containing <paramref name="fragment"/>, or -1: for assertions on order.</summary>
    public int LogIndexOf(string fragment) => _log.Snapshot().FindIndex(line => line.Contains(fragment, StringComparison.Ordinal));

    public int CountLog(Func<string, bool> match) => Log.Count(match);

    /// <summary>Log lines containing every fragment.</summary>
    public List<string> LogLines(params string[] fragments) =>
        Log.Where(line => fragments.All(f => line.Contains(f, StringComparison.Ordinal))).ToList();

    public void Signal(int signal) => Assert.Equal(0, ProcessTable.Kill(Pid, signal));

    /// <summary>tinyswap's exit code, failing the test if it has not exited within <see cref="Generous"/>.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var cancel = new CancellationTokenSource(Generous);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"tinyswap did not exit within {Generous}: {Describe()}");
        }
        return _process.ExitCode;
    }

    /// <summary>Every live process carrying our marker other than tinyswap itself: models, hooks, helpers, grandchildren.</summary>
    public List<int> Descendants() => ProcessTable.WithEnvironment(MarkerVariable, Marker).Where(pid => pid != Pid).ToList();

    /// <summary>
    /// Descendants but tinyswap's watchdog (`tinyswap __watchdog`, a helper that lives as long as tinyswap does): the
    /// models, their hooks and whatever those started.
    /// </summary>
    public List<int> ModelProcesses() => Descendants().Where(pid => !ProcessTable.CommandLine(pid).Contains("__watchdog", StringComparison.Ordinal)).ToList();

    /// <summary>Waits until no process of ours but tinyswap is alive; returns those still alive after <paramref name="bound"/>.</summary>
    public async Task<List<int>> WaitForNoDescendantsAsync(TimeSpan bound)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var left = Descendants();
            if (left.Count == 0 || waited.Elapsed > bound)
                return left;
            await Task.Delay(20);
        }
    }

    /// <summary>The log and stderr, for assertion messages.</summary>
    public string Describe() =>
        $"exited={_process.HasExited}\n--- log ---\n{string.Join('\n', Log)}\n--- stderr ---\n{string.Join('\n', _stderr.Snapshot())}";

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            if (!_process.HasExited)
                ProcessTable.Kill(Pid, ProcessTable.SIGKILL);
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        // Killed one by one, repeatedly: a shell that is still running may spawn once more.
        var waited = Stopwatch.StartNew();
        while (ProcessTable.WithEnvironment(MarkerVariable, Marker) is { Count: > 0 } left && waited.Elapsed < Generous)
        {
            foreach (var pid in left)
                ProcessTable.Kill(pid, ProcessTable.SIGKILL);
            await Task.Delay(10);
        }
        try
        {
            using var cancel = new CancellationTokenSource(Generous);
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
