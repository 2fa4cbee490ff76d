using System.Net;
using TinySwap.Cli;
using TinySwap.Config;

namespace TinySwap.Tests.Config;

/// <summary>`listen:` and `--listen` go through one parser and agree on what they accept and how they write it.</summary>
public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1:8080")]
    [InlineData(":8080", ":8080")]
    [InlineData("*:8080", ":8080")]
    [InlineData("LOCALHOST:8080", "localhost:8080")]
    [InlineData("[::1]:8080", "[::1]:8080")]
    [InlineData("[0:0::1]:8080", "[::1]:8080")]
    [InlineData("0.0.0.0:0", "0.0.0.0:0")]
    public void ConfigAndCommandLine_NormaliseAlike(string text, string normalized)
    {
        var config = ConfigText.Valid($"listen: \"{text}\"\nmodels:\n  a: {{ cmd: \"s --port ${{PORT}}\" }}\n");
        var options = CommandLineParser.Parse(["--listen", text]).Options!;

        Assert.Equal([normalized], config.Listen.ToArray());
        Assert.Equal([normalized], options.Listen.ToArray());
    }

    [Theory]
    [InlineData("somehost.example:18089", "is a host name")]
    [InlineData("1:8080", "is a host name")]
    [InlineData("8080", "is not HOST:PORT")]
    [InlineData("127.0.0.1:65536", "port must be a number")]
    [InlineData("::1:8080", "in brackets")]
    [InlineData("[nope]:8080", "bracketed IPv6")]
    public void ConfigAndCommandLine_RefuseAlike(string text, string fragment)
    {
        var configError = ConfigText.SingleError($"listen: \"{text}\"\nmodels:\n  a: {{ cmd: \"s --port ${{PORT}}\" }}\n", fragment, 1, 9);
        var usageError = CommandLineParser.Parse(["--listen", text]).Error;

        Assert.NotNull(usageError);
        Assert.StartsWith("--listen: ", usageError);
        Assert.Equal("test.yaml:1:9: listen: " + usageError["--listen: ".Length..], configError);
    }

    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1:8080")]
    [InlineData("[::1]:9000", "[::1]:9000")]
    [InlineData("0.0.0.0:80", "0.0.0.0:80")]
    [InlineData(":8080", "[::]:8080")]
    [InlineData("*:8080", "[::]:8080")]
    public void TryParse_Valid(string text, string endPoint)
    {
        Assert.True(ListenAddress.TryParse(text, out var address, out _));
        Assert.Equal(endPoint, address.EndPoints()[0].ToString());
    }

    [Fact]
    public void TryParse_Localhost_BindsLoopback()
    {
        Assert.True(ListenAddress.TryParse("localhost:8080", out var address, out _));
        Assert.All(address.EndPoints(), e => Assert.True(IPAddress.IsLoopback(e.Address)));
    }

    [Theory]
    [InlineData("8080")]
    [InlineData("host")]
    [InlineData("example.com:80")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:x")]
    public void TryParse_Invalid_SaysWhy(string text)
    {
        Assert.False(ListenAddress.TryParse(text, out _, out var error));
        Assert.Contains(text, error);
    }
}
