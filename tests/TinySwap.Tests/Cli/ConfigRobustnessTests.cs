using TinySwap.Tests.Config;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Cli;

/// <summary>
/// Through the real binary: a damaged config is exit 1 with diagnostics, never an abort (exit 134); a running
/// server keeps serving when a reload reads a damaged file; a listen address it cannot use is exit 1 or 3.
/// </summary>
public sealed class ConfigRobustnessTests
{
    private const string UnterminatedFlowSequence = "models:\n  a:\n    cmd: [unterminated\n    proxy: http://127.0.0.1:9\n";

    [Fact]
    public void Validate_UnterminatedFlowSequence_ExitsOneWithPosition()
    {
        using var file = new TempConfigFile(UnterminatedFlowSequence);
        var (exit, _, stderr) = TinySwapProcess.Run("validate", "--config", file.Path);
        Assert.Equal(1, exit);
        Assert.Matches(@":\d+:\d+: YAML syntax error", stderr);
    }

    [Fact]
    public void Serve_UnterminatedFlowSequence_ExitsOneWithoutStarting()
    {
        using var file = new TempConfigFile(UnterminatedFlowSequence);
        var (exit, stdout, stderr) = TinySwapProcess.Run("--config", file.Path, "--listen", $"127.0.0.1:{FreePort.Next()}");
        Assert.Equal(1, exit);
        Assert.DoesNotContain("listening", stdout);
        Assert.Contains("YAML syntax error", stderr);
    }

    [Fact]
    public void Validate_MutatedConfigs_AlwaysExitZeroOrOne()
    {
        var random = new Random(20261201);
        var samples = ConfigFuzzTests.SamplePaths();
        for (var i = 0; i < 16; i++)
        {
            var source = samples[i % samples.Count];
            var (mutation, text) = ConfigMutator.Mutate(File.ReadAllText(Path.Combine(RepoPaths.Root, source)), random);
            using var file = new TempConfigFile(text);
            var (exit, _, stderr) = TinySwapProcess.Run("validate", "--config", file.Path);
            Assert.True(exit is 0 or 1, $"{source} ({mutation}): exit {exit}\n{stderr}");
            if (exit == 1)
                Assert.Matches(@"(:\d+:\d+: |: )\S", stderr);
        }
    }

    [Fact]
    public async Task Serve_SighupWithABrokenFile_KeepsServingAndLogsTheError()
    {
        await using var tinyswap = await TinySwapServer.StartAsync("models:\n  a:\n    cmd: server --port ${PORT}\n");
        tinyswap.WriteConfig(UnterminatedFlowSequence);
        tinyswap.Signal(ProcessTable.SIGHUP);

        var error = await tinyswap.WaitForLogAsync("reload rejected");
        Assert.Contains("YAML syntax error", error);
        var health = await RawHttp.GetAsync(tinyswap.Port, "/health");
        Assert.Equal(200, health.Status);
    }

    [Fact]
    public void ListenHostName_IsAConfigErrorNotACrash()
    {
        using var file = new TempConfigFile("listen: somehost.example:18089\nmodels:\n  a:\n    cmd: server --port ${PORT}\n");
        var (validateExit, _, validateErrors) = TinySwapProcess.Run("validate", "--config", file.Path);
        var (serveExit, _, serveErrors) = TinySwapProcess.Run("--config", file.Path);

        Assert.Equal(1, validateExit);
        Assert.Contains(":1:9: listen: 'somehost.example:18089': 'somehost.example' is a host name", validateErrors);
        Assert.Equal(1, serveExit);
        Assert.Contains("is a host name", serveErrors);
    }

    [Fact]
    public void ListenAddressTaken_ExitsThree()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        using var file = new TempConfigFile("models:\n  a:\n    cmd: server --port ${PORT}\n");

        var (exit, stdout, _) = TinySwapProcess.Run("--config", file.Path, "--listen", $"127.0.0.1:{port}");

        Assert.Equal(3, exit);
        Assert.Contains($"cannot serve: cannot listen on 127.0.0.1:{port}", stdout);
    }
}

/// <summary>A config file in the temp directory, deleted afterwards.</summary>
internal sealed class TempConfigFile : IDisposable
{
    public TempConfigFile(string text)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tinyswap-test-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
