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
}
