using System.Text;
using TinySwap.Proxy.Forwarding;

namespace TinySwap.Tests.Http;

public sealed class HopByHopTests
{
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
