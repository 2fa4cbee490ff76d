using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace FakeUpstream.Client;

/// <summary>
/// `FakeUpstream start-time --port P -- COMMAND...`: time from spawning COMMAND until a TCP connect to
/// 127.0.0.1:P first succeeds, --runs times (default 30); prints median, p90 and min in microseconds.
/// Connect attempts are 100 µs apart (usleep), so on a 2-core machine the prober does not steal the CPU
/// the starting server needs; the figure includes the fork/exec cost of Process.Start.
/// </summary>
internal static partial class StartTimer
{
    public static int Run(string[] args)
    {
        var flags = ClientArgs.Parse(args);
        var port = flags?.Number("port", 0) ?? 0;
        if (flags is null || port == 0 || flags.Command.Length == 0)
        {
            Console.Error.WriteLine("fake: start-time needs --port N -- COMMAND [ARGS...]");
            return 2;
        }
        var runs = flags.Number("runs", 30);
        var samples = new List<long>(runs);
        for (var i = 0; i < runs; i++)
        {
            var sample = Once(flags.Command, port);
            if (sample is null)
                return 1;
            samples.Add(sample.Value);
        }
        samples.Sort();
        Console.Out.WriteLine($"runs={runs} median_us={Percentile.Of(samples, 50)} p90_us={Percentile.Of(samples, 90)} min_us={samples[0]}");
        return 0;
    }

    private static long? Once(string[] command, int port)
    {
        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true, // its log lines would garble our one-line answer; the pipe is never read
            RedirectStandardError = true,
        };
        foreach (var arg in command[1..])
            start.ArgumentList.Add(arg);

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        try
        {
            while (true)
            {
                using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
                {
                    try
                    {
                        socket.Connect(endpoint);
                        return (long)clock.Elapsed.TotalMicroseconds;
                    }
                    catch (SocketException)
                    {
                        // refused: not listening yet
                    }
                }
                if (process.HasExited)
                {
                    Console.Error.WriteLine($"fake: start-time: '{command[0]}' exited with {process.ExitCode} before listening: {process.StandardError.ReadToEnd()}");
                    return null;
                }
                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    Console.Error.WriteLine($"fake: start-time: nothing listened on port {port} within 30 s");
                    return null;
                }
                Usleep(100);
            }
        }
        finally
        {
            Stop(process);
        }
    }

    /// <summary>SIGTERM, then SIGKILL if it lingers: the next run needs the port free.</summary>
    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            Kill(process.Id, 15);
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
                process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
    }

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int Usleep(uint microseconds);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
