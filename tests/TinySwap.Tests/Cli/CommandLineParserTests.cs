using Microsoft.Extensions.Logging;
using TinySwap.Cli;

namespace TinySwap.Tests.Cli;

public sealed class CommandLineParserTests
{
    private static CliOptions Parse(params string[] args)
    {
        var result = CommandLineParser.Parse(args);
        Assert.True(result.Options is not null, result.Error);
        return result.Options!;
    }

    private static string Error(params string[] args)
    {
        var result = CommandLineParser.Parse(args);
        Assert.Null(result.Options);
        return result.Error!;
    }

    [Fact]
    public void NoArguments_ServesConfigYamlFromTheCurrentDirectory()
    {
        var options = Parse();
        Assert.Equal(CliCommand.Serve, options.Command);
        Assert.Equal("config.yaml", options.ConfigPath);
        Assert.True(options.Listen.IsEmpty);
        Assert.Null(options.LogLevel);
        Assert.False(options.WatchConfig);
    }

    [Fact]
    public void ServeFlags_InBothSpellings()
    {
        var options = Parse("--config", "/etc/tinyswap.yaml", "--listen=:8080", "--listen", "[::1]:9000", "--log-level", "debug", "--watch-config");
        Assert.Equal("/etc/tinyswap.yaml", options.ConfigPath);
        Assert.Equal([":8080", "[::1]:9000"], options.Listen.ToArray());
        Assert.Equal(LogLevel.Debug, options.LogLevel);
        Assert.True(options.WatchConfig);
    }

    [Fact]
    public void LlamaSwapSingleDashFlags_AreAccepted()
    {
        var options = Parse("-config", "c.yaml", "-listen", "127.0.0.1:9292", "-watch-config");
        Assert.Equal("c.yaml", options.ConfigPath);
        Assert.Equal(["127.0.0.1:9292"], options.Listen.ToArray());
        Assert.True(options.WatchConfig);
        Assert.Equal(CliCommand.Version, Parse("-version").Command);
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("--help")]
    [InlineData("-h")]
    public void VersionAndHelp(string flag) =>
        Assert.Equal(flag == "--version" ? CliCommand.Version : CliCommand.Help, Parse(flag).Command);

    [Fact]
    public void Validate_TakesConfig()
    {
        var options = Parse("validate", "--config", "x.yaml");
        Assert.Equal(CliCommand.Validate, options.Command);
        Assert.Equal("x.yaml", options.ConfigPath);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "--confg", "x" }, "unknown option '--confg' (did you mean '--config'?)")]
    [InlineData(new[] { "--config" }, "--config needs a value")]
    [InlineData(new[] { "--listen", "8080" }, "--listen: '8080' is not HOST:PORT")]
    [InlineData(new[] { "--log-level", "loud" }, "--log-level: 'loud' is not one of trace, debug, info, warn, error")]
    [InlineData(new[] { "serve" }, "unexpected argument 'serve'")]
    [InlineData(new[] { "valdate" }, "unexpected argument 'valdate' (did you mean 'validate'?)")]
    [InlineData(new[] { "validate", "--listen", ":1" }, "unknown option '--listen' for validate")]
    [InlineData(new[] { "--watch-config=yes" }, "--watch-config takes no value")]
    public void UsageErrors(string[] args, string expected) => Assert.StartsWith(expected, Error(args));
}
