namespace TinySwap;

internal static class Program
{
    public static int Main(string[] args)
    {
        // Hidden child-process modes (the exec shim, the orphan-test holder) run before anything is initialised.
        if (Supervisor.ExecShim.TryRun(args, out var shimExitCode))
            return shimExitCode;
        return 0;
    }
}
