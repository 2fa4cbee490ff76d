namespace TinySwap.Supervisor;

/// <summary>What to start: an already resolved executable, its argv and full environment, where output goes.</summary>
/// <param name="Executable">Absolute path (resolved against the child's PATH by <see cref="ExecutableResolver"/>).</param>
/// <param name="Argv">argv as the program sees it, argv[0] included.</param>
/// <param name="Environment">KEY=VALUE entries, complete (nothing is inherited implicitly).</param>
/// <param name="Launcher">Our own binary, used as the exec shim (`__exec`) so the child dies with us; null spawns directly.</param>
/// <param name="KillGroupOnExit">When the leader exits, SIGKILL whatever is left of its process group.</param>
/// <param name="Stdin">Descriptor for the child's stdin; -1 for /dev/null.</param>
internal sealed record SpawnSpec(
    string Executable,
    IReadOnlyList<string> Argv,
    IReadOnlyList<string> Environment,
    string? Launcher,
    IOutputSink Output,
    bool KillGroupOnExit,
    TimeSpan DrainTimeout,
    int Stdin = -1);
