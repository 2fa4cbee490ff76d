using System.Text;
using TinySwap.Proxy.Security;

namespace TinySwap.Tests.Proxy.Security;

public sealed class BrowserPolicyTests
{
    private static BrowserVerdict Check(string? origin, string fetchSite = "", string host = "localhost:8080", params string[] cors) =>
        new BrowserPolicy(new HostAllowList(["127.0.0.1:8080"], []), cors)
            .Check(origin is not null, Encoding.ASCII.GetBytes(origin ?? ""), Encoding.ASCII.GetBytes(fetchSite), Encoding.ASCII.GetBytes(host));

    [Fact]
    public void NoBrowserHeaders_IsAllowed() => Assert.Equal(BrowserVerdict.Allowed, Check(null));

    [Theory]
    [InlineData("http://localhost:8080", "localhost:8080")]
    [InlineData("HTTP://LOCALHOST:8080", "localhost:8080")]
    [InlineData("https://llm.example.com", "llm.example.com")]   // TLS ended by a reverse proxy that keeps Host
    [InlineData("http://127.0.0.1:8080", "127.0.0.1:8080")]
    public void TheServersOwnOrigin_IsAllowed(string origin, string host) => Assert.Equal(BrowserVerdict.Allowed, Check(origin, "same-origin", host));

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://localhost:3000")]      // same-site, but another program
    [InlineData("http://localhost:8080.evil.example")]
    [InlineData("http://localhost:8080/path")]
    [InlineData("null")]
    [InlineData("")]
    public void AForeignOrigin_IsRefused(string origin) => Assert.Equal(BrowserVerdict.ForeignOrigin, Check(origin, "cross-site"));

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    [InlineData("CROSS-SITE")]
    public void WithoutOrigin_AForeignFetchSite_IsRefused(string site) => Assert.Equal(BrowserVerdict.ForeignSite, Check(null, site));

    [Theory]
    [InlineData("none")]
    [InlineData("same-origin")]
    public void WithoutOrigin_TheUsersOwnNavigation_IsAllowed(string site) => Assert.Equal(BrowserVerdict.Allowed, Check(null, site));

    [Fact]
    public void AnOriginInCorsAllowOrigins_IsAllowedExactly()
    {
        Assert.Equal(BrowserVerdict.Allowed, Check("http://localhost:3000", "same-site", "localhost:8080", "http://localhost:3000/"));
        Assert.Equal(BrowserVerdict.Allowed, Check("https://chat.example.com", "cross-site", "localhost:8080", "https://Chat.Example.com"));
        Assert.Equal(BrowserVerdict.ForeignOrigin, Check("http://localhost:3001", "same-site", "localhost:8080", "http://localhost:3000"));
        Assert.Equal(BrowserVerdict.ForeignOrigin, Check("https://localhost:3000", "same-site", "localhost:8080", "http://localhost:3000"));
    }

    [Fact]
    public void CorsIsOff_WithoutAllowOrigins()
    {
        var policy = new BrowserPolicy(new HostAllowList([], []), []);
        Assert.False(policy.CorsEnabled);
        Assert.False(policy.IsCorsOrigin("*"u8));
        Assert.False(policy.IsCorsOrigin("null"u8));
    }
}
