using System.Collections;
using System.Text;
using TinySwap.Native;

namespace TinySwap.Supervisor;

/// <summary>
/// Runs a fixed command of ours (nvidia-smi's memory query) and returns its stdout, through the same spawn path as
/// the models: own session and process group, signals reset, no descriptor of ours inherited, reaped by pid. A
/// command that outlives <c>deadline</c> (a hung driver) loses its whole group to SIGKILL and yields null, so it
/// can never hang a start or a reload.
/// </summary>
internal static class ProbeCommand
{
    private const int MaxOutputChars = 64 * 1024;
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan OutputDrain = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Stdout of <paramref name="command"/> (looked up in our PATH) run with <paramref name="arguments"/>; null when
    /// it is not installed, cannot start, exits non-zero or runs past <paramref name="deadline"/>.
    /// </summary>
    public static async Task<string?> RunAsync(string command, IReadOnlyList<string> arguments, TimeSpan deadline)
    {
        var environment = OurEnvironment();
        var (executable, _) = ExecutableResolver.Resolve(command, environment.FirstOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..]);
        if (executable is null)
            return null;
        var output = new CappedOutput();
        // KillGroupOnExit: whatever the command leaves running in its group goes when it exits.
        var spawn = await SpawnThread.Instance.SpawnAsync(new SpawnSpec(executable, [command, .. arguments], environment,
            Launcher: null, output, KillGroupOnExit: true, OutputDrain));
        if (spawn.Child is not { } child)
            return null;
        if (!await child.WaitForExitAsync(deadline))
        {
            child.SignalGroup(LibC.SIGKILL);
            await child.WaitForExitAsync(KillWait);
            return null;
        }
        await child.WaitForOutputAsync(OutputDrain * 2);
        // Unknown: someone else reaped it (we run as PID 1 and the runtime reaps everything); its output decides.
        var exit = child.ExitStatusOrUnknown;
        return exit.Code == 0 || exit == ExitStatus.Unknown ? output.Text : null;
    }

    private static string[] OurEnvironment()
    {
        var entries = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            entries.Add($"{entry.Key}={entry.Value}");
        return [.. entries];
    }

    /// <summary>Stdout lines up to <see cref="MaxOutputChars"/>; stderr is not wanted ("command not found" and the like).</summary>
    private sealed class CappedOutput : IOutputSink
    {
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text)
                    return _text.ToString();
            }
        }

        public void OnLine(OutputStream stream, string line)
        {
            if (stream != OutputStream.Stdout)
                return;
            lock (_text)
            {
                if (_text.Length + line.Length < MaxOutputChars)
                    _text.Append(line).Append('\n');
            }
        }
    }
}
