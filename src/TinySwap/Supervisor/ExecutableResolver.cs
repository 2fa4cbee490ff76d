using TinySwap.Native;

namespace TinySwap.Supervisor;

/// <summary>
/// Finds argv[0] the way execvp would, but against the *child's* PATH and before anything is spawned, so
/// "command not found" is a clear start failure instead of an exit code 127 from a child.
/// </summary>
internal static unsafe class ExecutableResolver
{
    public static (string? Path, string? Error) Resolve(string command, string? searchPath)
    {
        if (command.Length == 0)
            return (null, "the command is empty");
        if (command.Contains('/'))
            return IsExecutable(command) ? (Path.GetFullPath(command), null) : (null, $"'{command}' is not an executable file");

        foreach (var dir in (searchPath ?? "/usr/local/bin:/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? "." : dir, command);
            if (IsExecutable(candidate))
                return (Path.GetFullPath(candidate), null);
        }
        return (null, $"'{command}' was not found in PATH ({searchPath})");
    }

    private static bool IsExecutable(string path)
    {
        if (Directory.Exists(path))
            return false;
        using var native = new Utf8StringArray([path]);
        return Sys.access(native[0], LibC.X_OK) == 0;
    }
}
