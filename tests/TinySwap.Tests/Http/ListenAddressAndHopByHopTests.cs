using System.Net;
using System.Text;
using TinySwap.Config;
using TinySwap.Proxy.Forwarding;

namespace TinySwap.Tests.Http;

public sealed class ListenAddressAndHopByHopTests
{
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

    [Theory]
    [InlineData("Connection", "", true)]
    [InlineData("KEEP-ALIVE", "", true)]
    [InlineData("Transfer-Encoding", "", true)]
    [InlineData("te", "", true)]
    [InlineData("Upgrade", "", true)]
    [InlineData("Proxy-Connection", "", true)]
    [InlineData("X-Custom", "keep-alive, x-custom", true)]
    [InlineData("X-Custom", "keep-alive", false)]
    [InlineData("Authorization", "", false)]
    [InlineData("Content-Type", "close", false)]
    public void HopByHop_Skip(string name, string connection, bool skipped) =>
        Assert.Equal(skipped, HopByHopHeaders.Skip(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(connection)));
}
