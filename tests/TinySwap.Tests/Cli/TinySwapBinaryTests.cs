using TinySwap.Tests.Support;

namespace TinySwap.Tests.Cli;

/// <summary>The published binary's command line: exit codes and output (README "Exit codes").</summary>
public sealed class TinySwapBinaryTests
{
    [Fact]
    public void Version_PrintsTheVersionAndExitsZero()
    {
        var (exit, stdout, stderr) = TinySwapProcess.Run("--version");
        Assert.Equal(0, exit);
        Assert.Matches(@"^tinyswap \d+\.\d+\.\d+", stdout);
        Assert.Empty(stderr);
    }

    [Fact]
    public void Help_PrintsUsageAndExitCodes()
    {
        var (exit, stdout, _) = TinySwapProcess.Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("tinyswap validate [--config PATH]", stdout);
        Assert.Contains("Exit codes: 0 ok, 1 config invalid", stdout);
    }

    [Fact]
    public void UnknownFlag_IsAUsageErrorExitTwo()
    {
        var (exit, stdout, stderr) = TinySwapProcess.Run("--frobnicate");
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("unknown option '--frobnicate'", stderr);
    }

    [Fact]
    public void ValidateExampleConfig_PrintsTheSummaryExitZero()
    {
        var (exit, stdout, stderr) = TinySwapProcess.Run("validate", "--config", "config.example.yaml");
        Assert.True(exit == 0, stderr);
        Assert.Contains("config.example.yaml: valid, 4 models, 3 groups, swap policy: groups", stdout);
        Assert.Contains("qwen-chat", stdout);
        Assert.Contains("aliases: gpt-4o-mini, chat", stdout);
        Assert.Contains("group chat: swap, exclusive; qwen-chat, llama-chat", stdout);
    }

    [Fact]
    public void ValidateBrokenConfig_PrintsEveryErrorWithPositionExitOne()
    {
        using var file = new TempConfigFile("""
            healthCheckTimeout: soon
            models:
              llama:
                cmd: llama-server --port ${PORT}
                tll: 300
              qwen:
                cmd: llama-server --port ${PORT}
                aliases: [llama]
            """);
        var (exit, stdout, stderr) = TinySwapProcess.Run("validate", "--config", file.Path);
        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Contains($"{file.Path}:1:21: healthCheckTimeout: expected a number", stderr);
        Assert.Contains($"{file.Path}:5:5: models.llama: unknown key 'tll' (did you mean 'ttl'?)", stderr);
        Assert.Contains($"{file.Path}:8:15: models.qwen.aliases: 'llama' is also the id of model 'llama'", stderr);
        Assert.Contains("3 errors; nothing was started.", stderr);
    }

    [Fact]
    public void ValidateConfigWithAnchors_ResolvesThem()
    {
        // YamlDotNet checks anchor names with a Regex, which trimming could break only in the published binary: this
        // runs it, not the library.
        using var file = new TempConfigFile("""
            x-defaults: &defaults
              ttl: 300
            models:
              a:
                <<: *defaults
                cmd: &serve llama-server --port ${PORT} --anchored
              b:
                cmd: *serve
            """);
        var (exit, stdout, stderr) = TinySwapProcess.Run("validate", "--config", file.Path);
        Assert.True(exit == 0, stderr);
        Assert.Contains("llama-server --port 5801 --anchored", stdout);
    }

    [Fact]
    public void ValidateMissingFile_ExitOne()
    {
        var (exit, _, stderr) = TinySwapProcess.Run("validate", "--config", "/nonexistent/tinyswap.yaml");
        Assert.Equal(1, exit);
        Assert.Contains("/nonexistent/tinyswap.yaml: cannot read the config", stderr);
    }

    [Fact]
    public void ServeInvalidConfig_ExitsOneWithoutStarting()
    {
        using var file = new TempConfigFile("models:\n  a:\n    cmd: server --port ${PORT} --x 'open\n");
        var (exit, stdout, stderr) = TinySwapProcess.Run("--config", file.Path);
        Assert.Equal(1, exit);
        Assert.DoesNotContain("listening", stdout);
        Assert.Contains("unterminated single quote", stderr);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void Serve_LogsStartupThenExitsZeroOnSignal(string signal)
    {
        var port = FreePort.Next();
        using var tinyswap = TinySwapProcess.Start("--config", "config.example.yaml", "--listen", $"127.0.0.1:{port}");
        var startup = tinyswap.WaitForLine("listening on");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: ", startup);
        Assert.Contains($"listening on 127.0.0.1:{port}: 4 models", startup);
        Assert.DoesNotContain("\u001b[", startup);

        tinyswap.Signal(signal);
        Assert.Equal(0, tinyswap.WaitForExit());
        // The last lines must reach stdout: the logger's queue is flushed before exit.
        var rest = tinyswap.RestOfOutput();
        Assert.Contains($"received SIG{signal}", rest);
        Assert.Contains("info: tinyswap[4] stopped", rest);
    }

    [Fact]
    public void Serve_SighupReloadsWithoutExiting()
    {
        using var tinyswap = TinySwapProcess.Start("--config", "config.example.yaml", "--listen", $"127.0.0.1:{FreePort.Next()}");
        tinyswap.WaitForLine("listening on");
        tinyswap.Signal("HUP");
        tinyswap.WaitForLine("reloaded config: 4 models");
        tinyswap.Signal("TERM");
        Assert.Equal(0, tinyswap.WaitForExit());
    }

    [Fact]
    public void Serve_WatchConfig_ReloadsWhenTheFileChanges()
    {
        using var file = new TempConfigFile("models:\n  a:\n    cmd: server --port ${PORT}\n");
        using var tinyswap = TinySwapProcess.Start("--config", file.Path, "--watch-config", "--listen", $"127.0.0.1:{FreePort.Next()}");
        tinyswap.WaitForLine("listening on");

        File.WriteAllText(file.Path, "models:\n  a:\n    cmd: server --port ${PORT}\n  b:\n    cmd: server --port ${PORT}\n");
        tinyswap.WaitForLine("reloaded config: 2 models");

        File.WriteAllText(file.Path, "models:\n  a:\n    cmdd: oops\n");
        Assert.Contains("reload rejected", tinyswap.WaitForLine("unknown key 'cmdd' (did you mean 'cmd'?)"));
        tinyswap.Signal("TERM");
        Assert.Equal(0, tinyswap.WaitForExit());
    }
}
