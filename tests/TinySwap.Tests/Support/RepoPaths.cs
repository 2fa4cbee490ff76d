using System.Net;
using System.Net.Sockets;

namespace TinySwap.Tests.Support;

/// <summary>Where the repository and the published binaries are, for tests that run them.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>dist/tinyswap, published by ./build.sh (make test runs it first).</summary>
    public static string TinySwapBinary => RequireBinary("tinyswap");

    /// <summary>dist/FakeUpstream, the stand-in inference server.</summary>
    public static string FakeUpstreamBinary => RequireBinary("FakeUpstream");

    private static string RequireBinary(string name)
    {
        var path = Path.Combine(Root, "dist", name);
        if (!File.Exists(path))
            throw new InvalidOperationException($"{path} is missing: run ./build.sh (make test does) before these tests.");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tinyswap.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("tinyswap.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Ports for tests: ask the kernel for a free one instead of hard-coding numbers that collide.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static int s_nextBlock = 20_000 + Environment.ProcessId % 40 * 250;

    /// <summary>
    /// The first of <paramref name="count"/> consecutive free ports, for a config's `startPort`. Taken below the
    /// kernel's ephemeral range (32768+), where <see cref="Next"/> and every client socket of the parallel tests take
    /// theirs, so a port checked free here is not handed to an outgoing connection before the model binds it.
    /// </summary>
    public static int Block(int count)
    {
        while (true)
        {
            var first = Interlocked.Add(ref s_nextBlock, count) - count;
            if (first + count >= 32_768)
                Interlocked.Exchange(ref s_nextBlock, 20_000);
            else if (Enumerable.Range(first, count).All(IsFree))
                return first;
        }
    }

    private static bool IsFree(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
