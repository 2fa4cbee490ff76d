using System.Globalization;
using TinySwap.Config;

namespace TinySwap.Supervisor;

/// <summary>
/// Hidden test mode `tinyswap __hold-models [--no-shim] PORT ARGV... [;; PORT ARGV...]`: starts each command
/// as a model through the real supervisor (spawn thread, exec shim, watchdog), prints "ready PID" per model,
/// "watchdog PID" and "held", then waits to be killed. The orphan test SIGKILLs it and checks that the
/// models and everything in their process groups died with it.
/// </summary>
internal static class HoldModelsMode
{
    public const string Verb = "__hold-models";

    public static int Run(string[] args)
    {
        var list = new List<string>(args[1..]);
        var options = new SupervisorOptions();
        if (list.Count > 0 && list[0] == "--no-shim")
        {
            list.RemoveAt(0);
            options = options with { Launcher = null };
        }

        var factory = new ModelProcessFactory(options);
        var index = 0;
        foreach (var spec in Split(list))
        {
            if (spec.Count < 2 || !int.TryParse(spec[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                Console.Error.WriteLine("usage: __hold-models [--no-shim] PORT ARGV... [;; PORT ARGV...] (internal)");
                return 2;
            }
            var id = "held" + index++.ToString(CultureInfo.InvariantCulture);
            var model = new ModelConfig
            {
                Id = id,
                Command = [.. spec.GetRange(1, spec.Count - 1)],
                Proxy = new Uri($"http://127.0.0.1:{port}"),
                Port = port,
                HealthCheckTimeout = TimeSpan.FromSeconds(30),
                Fingerprint = id,
            };
            var process = factory.Create(model, _ => { });
            var outcome = process.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
            if (!outcome.IsReady)
            {
                Console.Error.WriteLine($"{id}: {outcome.FailureReason}");
                return 1;
            }
            Console.Out.WriteLine($"ready {process.Pid}");
            Console.Out.Flush();
        }
        if (GroupWatchdog.Pid is { } watchdog)
            Console.Out.WriteLine($"watchdog {watchdog}");
        Console.Out.WriteLine("held");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    private static IEnumerable<List<string>> Split(List<string> args)
    {
        var current = new List<string>();
        foreach (var arg in args)
        {
            if (arg == ";;")
            {
                yield return current;
                current = [];
            }
            else
            {
                current.Add(arg);
            }
        }
        yield return current;
    }
}
