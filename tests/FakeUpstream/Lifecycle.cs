using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FakeUpstream;

/// <summary>The misbehaviours a supervisor must survive: ignoring SIGTERM, dying on its own, leaving a grandchild.</summary>
internal static class Lifecycle
{
    // Held for the life of the process: a collected registration would restore the default handler.
    private static PosixSignalRegistration? s_sigterm;

    public static void Apply(Options options, ServerState state)
    {
        s_sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            if (options.IgnoreSigterm)
            {
                // A line per signal gives tests a deterministic "it arrived" to wait for.
                context.Cancel = true;
                Console.Error.WriteLine("fake: ignoring SIGTERM as asked");
            }
            else
            {
                Console.Error.WriteLine("fake: SIGTERM, exiting");
            }
        });

        if (options.ForkGrandchild)
            state.GrandchildPid = SpawnGrandchild();

        if (options.ExitAfterMs is { } exitAfter)
        {
            _ = Task.Delay(exitAfter).ContinueWith(_ =>
            {
                Console.Error.WriteLine($"fake: exiting after {exitAfter} ms as asked");
                Environment.Exit(3);
            }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Starts `sleep 3600` under /bin/sh inheriting our stdin/stdout/stderr: it outlives us and keeps the
    /// pipes open, as a llama-server helper process would — a supervisor that waits for EOF hangs on it.
    /// </summary>
    private static int SpawnGrandchild()
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec sleep 3600");
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh");
        Console.Error.WriteLine($"fake: grandchild pid={child.Id}");
        return child.Id;
    }
}
