using System.Globalization;

namespace FakeUpstream;

/// <summary>The server's command-line flags, parsed by hand (no reflection, tiny startup cost).</summary>
internal sealed record Options(
    string Host,
    int Port,
    string Model,
    int StartupDelayMs,
    bool IgnoreSigterm,
    int? ExitAfterMs,
    bool ForkGrandchild,
    string? SlotDir,
    bool FailStart)
{
    public const string Usage =
        "usage: FakeUpstream --port N [--host H] [--model NAME] [--startup-delay MS] [--ignore-sigterm]\n" +
        "                    [--exit-after MS] [--fork-grandchild] [--slot-dir DIR] [--fail-start]\n" +
        "       FakeUpstream sse-client --url URL [--events N] [--gap-ms MS] [--streams N] [--rss-pid PID]\n" +
        "       FakeUpstream start-time --port N [--runs N] -- COMMAND [ARGS...]";

    /// <summary>Returns the options, or an error message naming the bad flag.</summary>
    public static (Options? Options, string? Error) Parse(string[] args)
    {
        string host = "127.0.0.1", model = "fake";
        int? port = null, exitAfter = null;
        int startupDelay = 0;
        bool ignoreSigterm = false, forkGrandchild = false, failStart = false;
        string? slotDir = null;

        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            string? error = null;
            switch (flag)
            {
                case "--host": host = Value(args, ref i, ref error); break;
                case "--port": port = Number(args, ref i, ref error); break;
                case "--model": model = Value(args, ref i, ref error); break;
                case "--startup-delay": startupDelay = Number(args, ref i, ref error); break;
                case "--exit-after": exitAfter = Number(args, ref i, ref error); break;
                case "--slot-dir": slotDir = Value(args, ref i, ref error); break;
                case "--ignore-sigterm": ignoreSigterm = true; break;
                case "--fork-grandchild": forkGrandchild = true; break;
                case "--fail-start": failStart = true; break;
                default: error = $"unknown flag '{flag}'"; break;
            }
            if (error is not null)
                return (null, error);
        }
        // --fail-start wins over a missing port: tests of failed starts need not allocate one.
        if (port is null && !failStart)
            return (null, "--port is required");
        return (new Options(host, port ?? 0, model, startupDelay, ignoreSigterm, exitAfter, forkGrandchild, slotDir, failStart), null);
    }

    private static string Value(string[] args, ref int i, ref string? error)
    {
        if (i + 1 < args.Length)
            return args[++i];
        error = $"{args[i]} needs a value";
        return "";
    }

    private static int Number(string[] args, ref int i, ref string? error)
    {
        var flag = args[i];
        var text = Value(args, ref i, ref error);
        if (error is not null)
            return 0;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            return n;
        error = $"{flag} needs a non-negative whole number, got '{text}'";
        return 0;
    }
}
