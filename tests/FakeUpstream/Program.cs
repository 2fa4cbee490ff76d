using System.Net.Sockets;
using FakeUpstream.Http;
using FakeUpstream.Routes;

namespace FakeUpstream;

/// <summary>Entry point: the server by default, or one of the benchmark client modes.</summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["sse-client", ..])
            return Client.SseClient.Run(args[1..]);
        if (args is ["start-time", ..])
            return Client.StartTimer.Run(args[1..]);
        if (args is ["--help"] or ["-h"])
        {
            Console.Out.WriteLine(Options.Usage);
            return 0;
        }

        var (options, error) = Options.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine($"fake: {error}\n{Options.Usage}");
            return 2;
        }
        if (options.FailStart)
        {
            Console.Error.WriteLine("fake: failing to start as asked (--fail-start)");
            return 1;
        }

        var state = new ServerState(options);
        HttpServer server;
        try
        {
            server = HttpServer.Listen(options.Host, options.Port, new RouteTable(state).RouteAsync);
        }
        catch (Exception e) when (e is SocketException or FormatException)
        {
            Console.Error.WriteLine($"fake: cannot listen on {options.Host}:{options.Port}: {e.Message}");
            return 1;
        }
        Lifecycle.Apply(options, state);
        Console.Out.WriteLine($"fake: listening on {options.Host}:{server.LocalEndPoint.Port} model={options.Model} pid={Environment.ProcessId}");
        server.RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        return 0;
    }
}
