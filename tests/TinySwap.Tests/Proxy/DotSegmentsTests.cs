using System.Text;
using TinySwap.Proxy;

namespace TinySwap.Tests.Proxy;

/// <summary>RFC 3986 §5.2.4 on the path `/upstream/{model}` forwards, rooted at the model's prefix.</summary>
public sealed class DotSegmentsTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/v1/chat/completions", "/v1/chat/completions")]
    [InlineData("/a/b/c/./../../g", "/a/g")]
    [InlineData("/mid/content=5/../6", "/mid/6")]
    [InlineData("/a/.", "/a/")]
    [InlineData("/a/..", "/")]
    [InlineData("/a/./b", "/a/b")]
    [InlineData("/..", "/")]
    [InlineData("/../../../etc/passwd", "/etc/passwd")]
    [InlineData("/a/../../x", "/x")]
    [InlineData("/%2e%2e/%2E%2E/x", "/x")]
    [InlineData("/.%2e/x", "/x")]
    [InlineData("/a/%2e/b", "/a/b")]
    [InlineData("/a//../b", "/a/b")]
    [InlineData("//double", "//double")]
    [InlineData("/...", "/...")]
    [InlineData("/..a/.b/a.", "/..a/.b/a.")]
    [InlineData("/a%2fb/../c", "/c")]
    [InlineData("/file.json", "/file.json")]
    [InlineData("/%2e%2e%2e/x", "/%2e%2e%2e/x")]
    public void Remove_AsRfc3986_NeverAboveTheRoot(string path, string expected) =>
        Assert.Equal(expected, DotSegments.Remove(Encoding.ASCII.GetBytes(path)));
}
