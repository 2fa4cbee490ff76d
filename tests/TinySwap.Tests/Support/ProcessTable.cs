using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace TinySwap.Tests.Support;

/// <summary>
/// What /proc says about processes: who carries an environment marker (every descendant of a process inherits its
/// environment, whichever session or parent it ends up in), who is still alive, and a plain kill(2).
/// </summary>
internal static partial class ProcessTable
{
    public const int SIGHUP = 1;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    /// <summary>Live processes whose initial environment holds exactly NAME=VALUE (zombies have none, so never match).</summary>
    public static List<int> WithEnvironment(string name, string value) =>
        [.. EnvironmentValues(name).Where(p => p.Value == value).Select(p => p.Pid)];

    /// <summary>Every live process whose initial environment sets <paramref name="name"/>, with its value.</summary>
    public static List<(int Pid, string Value)> EnvironmentValues(string name)
    {
        var prefix = Encoding.UTF8.GetBytes(name + "=");
        var found = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            byte[] environ;
            try
            {
                environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile, or not ours
            }
            foreach (var entry in environ.AsSpan().Split((byte)0))
            {
                var variable = environ.AsSpan(entry);
                if (variable.StartsWith(prefix))
                {
                    found.Add((pid, Encoding.UTF8.GetString(variable[prefix.Length..])));
                    break;
                }
            }
        }
        return found;
    }

    /// <summary>True while the pid names a process that has not exited (a zombie has exited: it only waits to be reaped).</summary>
    public static bool IsAlive(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        // "pid (comm) S ...": comm may contain spaces and parentheses, the state follows the last ')'.
        var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
        return state is not ('Z' or 'X' or default(char));
    }

    /// <summary>The process's argv joined with spaces; empty when it is gone.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    public static int Kill(int pid, int signal) => NativeKill(pid, signal);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int signal);
}
