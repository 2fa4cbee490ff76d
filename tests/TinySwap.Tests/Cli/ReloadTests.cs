using System.Net.Sockets;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Cli;

/// <summary>Through the binary: a reload applies `listen`, `limits` and `logLevel`, and says so in one line each.</summary>
public sealed class ReloadTests
{
    private static string Config(int port, string level, int maxConnections) =>
        $"listen: 127.0.0.1:{port}\nlogLevel: {level}\nlimits: {{ maxConnections: {maxConnections} }}\nmodels:\n  a:\n    cmd: server --port ${{PORT}}\n";

    [Fact]
    public async Task Sighup_AppliesListenLimitsAndLogLevel()
    {
        var (first, second) = (FreePort.Next(), FreePort.Next());
        using var file = new TempConfigFile(Config(first, "info", 100));
        using var tinyswap = TinySwapProcess.Start("--config", file.Path);
        tinyswap.WaitForLine("listening on");

        File.WriteAllText(file.Path, Config(second, "debug", 50));
        tinyswap.Signal("HUP");

        Assert.Contains("reload: log level is now debug", tinyswap.WaitForLine("reload: log level"));
        Assert.Contains("reload: new limits apply to connections accepted from now on", tinyswap.WaitForLine("reload: new limits"));
        Assert.Contains($"reload: listening on 127.0.0.1:{second}", tinyswap.WaitForLine("reload: listening on"));
        Assert.Equal(200, (await RawHttp.GetAsync(second, "/health")).Status);
        var refused = await Assert.ThrowsAnyAsync<SocketException>(() => RawHttp.GetAsync(first, "/health"));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        tinyswap.Signal("TERM");
        Assert.Equal(0, tinyswap.WaitForExit());
    }

    [Fact]
    public void Sighup_LogLevelPinnedByTheCommandLine_SaysItIsNotApplied()
    {
        var port = FreePort.Next();
        using var file = new TempConfigFile(Config(port, "info", 100));
        using var tinyswap = TinySwapProcess.Start("--config", file.Path, "--log-level", "info");
        tinyswap.WaitForLine("listening on");

        File.WriteAllText(file.Path, Config(port, "debug", 100));
        tinyswap.Signal("HUP");

        Assert.Contains("logLevel debug in the config is not applied: --log-level info was given", tinyswap.WaitForLine("reload: logLevel"));
        tinyswap.Signal("TERM");
        Assert.Equal(0, tinyswap.WaitForExit());
    }
}
