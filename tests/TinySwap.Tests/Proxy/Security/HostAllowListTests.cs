using System.Text;
using TinySwap.Proxy.Security;

namespace TinySwap.Tests.Proxy.Security;

public sealed class HostAllowListTests
{
    private static bool Allows(string host, string[]? listen = null, string[]? allowed = null) =>
        new HostAllowList(listen ?? ["127.0.0.1:8080"], allowed ?? []).Allows(Encoding.ASCII.GetBytes(host));

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:8080")]
    [InlineData("LOCALHOST:8080")]
    [InlineData("localhost.:8080")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("127.4.5.6:8080")]
    [InlineData("[::1]:8080")]
    [InlineData("[::1]")]
    [InlineData("192.168.1.5:8080")]   // an IP literal cannot be rebound: the browser connected to exactly that address
    [InlineData("[fe80::1]:8080")]
    public void LoopbackNamesAndIpLiterals_AreAllowedByDefault(string host) => Assert.True(Allows(host));

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:8080")]
    [InlineData("localhost.evil.example:8080")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("127.1:8080")]          // not how a browser writes an address; IPAddress alone would accept it
    [InlineData("2130706433")]
    [InlineData("::1")]                 // IPv6 only in brackets
    [InlineData("[127.0.0.1]:8080")]    // and only IPv6 in brackets
    [InlineData("256.0.0.1:8080")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("localhost:80a")]
    [InlineData("")]
    [InlineData(":8080")]
    public void UnlistedNamesAndMalformedHosts_AreRefused(string host) => Assert.False(Allows(host));

    [Fact]
    public void AllowedHosts_AreExactNamesAnyPortUnlessTheEntryHasOne()
    {
        string[] allowed = ["llm.example.com", "Box.lan:8080"];
        Assert.True(Allows("llm.example.com", allowed: allowed));
        Assert.True(Allows("LLM.example.com:443", allowed: allowed));
        Assert.True(Allows("box.lan:8080", allowed: allowed));
        Assert.False(Allows("box.lan:9090", allowed: allowed));
        Assert.False(Allows("sub.llm.example.com", allowed: allowed));
        Assert.False(Allows("example.com", allowed: allowed));
    }

    [Fact]
    public void ANamedListenAddress_IsAllowedWhileAWildcardAddsNoName()
    {
        Assert.True(Allows("gpu-box:8080", listen: ["gpu-box:8080"]));
        Assert.False(Allows("gpu-box:8080", listen: ["0.0.0.0:8080", "[::]:8080", ":8080"]));
        Assert.True(Allows("10.0.0.7:8080", listen: ["0.0.0.0:8080"]));
    }
}
