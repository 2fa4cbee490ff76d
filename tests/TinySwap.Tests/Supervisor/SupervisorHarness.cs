using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using TinySwap.Config;
using TinySwap.Native;
using TinySwap.Supervisor;
using TinySwap.Tests.Support;
using Xunit.Abstractions;

namespace TinySwap.Tests.Supervisor;

/// <summary>
/// Creates model processes for one test and, whatever happens, stops them and SIGKILLs the process group
/// of every pid the supervisor spawned (servers, hooks, cmdStop) when disposed.
/// </summary>
internal sealed class SupervisorHarness : IAsyncDisposable
{
    private readonly ConcurrentBag<int> _pids = [];
    private readonly List<ModelProcess> _processes = [];

    public SupervisorHarness(ITestOutputHelper output, bool useShim = true)
    {
        Output = output;
        Options = new SupervisorOptions
        {
            Launcher = useShim ? RepoPaths.TinySwapBinary : null,
            Logger = new TestOutputLogger(output),
            Spawned = _pids.Add,
            KillWaitTimeout = TimeSpan.FromSeconds(10),
        };
        Directory = System.IO.Directory.CreateTempSubdirectory("tinyswap-sup-").FullName;
    }

    public ITestOutputHelper Output { get; }
    public SupervisorOptions Options { get; set; }
    public ConcurrentQueue<ModelFault> Faults { get; } = new();

    /// <summary>A scratch directory for marker files, deleted on dispose.</summary>
    public string Directory { get; }

    public IReadOnlyCollection<int> SpawnedPids => _pids;

    /// <summary>For tests that replace <see cref="SupervisorOptions.Spawned"/>: keep cleaning up what it reports.</summary>
    public void Track(int pid) => _pids.Add(pid);

    /// <summary>A model running dist/FakeUpstream on a free port with the given extra flags.</summary>
    public static ModelConfig FakeModel(string id, params string[] flags)
    {
        var port = FreePort.Next();
        return new ModelConfig
        {
            Id = id,
            Command = [RepoPaths.FakeUpstreamBinary, "--port", port.ToString(CultureInfo.InvariantCulture), "--model", id, .. flags],
            Proxy = new Uri($"http://127.0.0.1:{port}"),
            Port = port,
            HealthCheckTimeout = TimeSpan.FromSeconds(30),
            UnloadTimeout = TimeSpan.FromSeconds(5),
            Fingerprint = id,
        };
    }

    public ModelProcess Create(ModelConfig config)
    {
        var process = new ModelProcess(config, Faults.Enqueue, Options);
        _processes.Add(process);
        return process;
    }

    public string Marker(string name) => Path.Combine(Directory, name);

    public async ValueTask DisposeAsync()
    {
        foreach (var pid in _pids)
            Sys.killpg(pid, LibC.SIGKILL);
        foreach (var process in _processes)
            await process.StopAsync(StopReason.Shutdown).WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var pid in _pids)
            Sys.killpg(pid, LibC.SIGKILL);
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>Collects a child's lines.</summary>
internal sealed class LineSink : IOutputSink
{
    private readonly ConcurrentQueue<(OutputStream Stream, string Text)> _lines = new();

    public IReadOnlyList<(OutputStream Stream, string Text)> Lines => _lines.ToArray();

    public void OnLine(OutputStream stream, string line) => _lines.Enqueue((stream, line));
}

/// <summary>Supervisor logs into the test's output, for the story behind a failure.</summary>
internal sealed class TestOutputLogger(ITestOutputHelper output) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {logLevel,-11} {formatter(state, exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished (a late line from the watcher thread).
        }
    }
}

/// <summary>What /proc says about a process.</summary>
internal static class ProcFs
{
    /// <summary>True while the pid exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return State(stat) != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static char State(string stat) => stat[stat.LastIndexOf(')') + 2];

    /// <summary>Fields after the command name: [0] state, [1] ppid, [2] pgrp, [3] session.</summary>
    public static string[] StatFields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    /// <summary>Live members of a process group.</summary>
    public static List<int> GroupMembers(int processGroup) => Processes()
        .Where(pid => TryStat(pid) is { } f && f[2] == processGroup.ToString(CultureInfo.InvariantCulture) && f[0] != "Z")
        .ToList();

    private static IEnumerable<int> Processes() =>
        System.IO.Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0);

    private static string[]? TryStat(int pid)
    {
        try
        {
            return StatFields(pid);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Zombie children of the given process.</summary>
    public static List<int> ZombieChildren(int parent) => Processes()
        .Where(pid => TryStat(pid) is { } f && f[0] == "Z" && f[1] == parent.ToString(CultureInfo.InvariantCulture))
        .ToList();

    public static async Task<bool> WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(10);
        }
        return true;
    }
}
