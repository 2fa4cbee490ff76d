using System.Buffers;
using System.Text;
using TinySwap.Proxy;
using TinySwap.Http.Parsing;

namespace TinySwap.Tests.Proxy;

public sealed class QueryModelTests
{
    private static (QueryModelStatus Status, string? Model) Find(string query, int buffer = 256)
    {
        var model = new byte[buffer];
        var status = QueryModel.Find(Encoding.ASCII.GetBytes(query), model, out var length);
        return (status, status == QueryModelStatus.Found ? Encoding.UTF8.GetString(model, 0, length) : null);
    }

    [Theory]
    [InlineData("model=kokoro", "kokoro")]
    [InlineData("x=1&model=kokoro&y=2", "kokoro")]
    [InlineData("model=org%2Fkokoro%3Av1", "org/kokoro:v1")]
    [InlineData("model=a+b", "a b")]
    [InlineData("model=a%2Bb", "a+b")]
    [InlineData("model=%E6%A8%A1%E5%9E%8B", "模型")]
    [InlineData("mod%65l=encoded-name", "encoded-name")]
    [InlineData("model=first&model=second", "first")]
    [InlineData("models=no&model=yes", "yes")]
    [InlineData("model=a=b", "a=b")]
    [InlineData("&&model=x&", "x")]
    public void Find_ModelParameter_IsDecoded(string query, string expected)
        => Assert.Equal((QueryModelStatus.Found, expected), Find(query));

    [Theory]
    [InlineData("")]
    [InlineData("x=1")]
    [InlineData("model")]
    [InlineData("model=")]
    [InlineData("Model=x")]
    [InlineData("amodel=x")]
    [InlineData("model=&model=x")]
    public void Find_NoOrEmptyModel_IsNoModel(string query)
        => Assert.Equal(QueryModelStatus.NoModel, Find(query).Status);

    [Theory]
    [InlineData("model=a%2")]
    [InlineData("model=a%zz")]
    [InlineData("model=%")]
    public void Find_BrokenEscape_IsMalformed(string query)
        => Assert.Equal(QueryModelStatus.Malformed, Find(query).Status);

    [Fact]
    public void Find_ValueLongerThanBuffer_IsTooLong()
    {
        Assert.Equal(QueryModelStatus.TooLong, Find("model=abcde", buffer: 4).Status);
        Assert.Equal((QueryModelStatus.Found, "abcd"), Find("model=abcd", buffer: 4));
    }

    [Theory]
    [InlineData("a%20b", true, "a b")]
    [InlineData("a+b", false, "a+b")]
    [InlineData("a+b", true, "a b")]
    [InlineData("%41%61%7e", false, "Aa~")]
    public void Decode_ValidInput_Decodes(string input, bool plusIsSpace, string expected)
    {
        var output = new byte[16];
        Assert.Equal(OperationStatus.Done, PercentEncoding.Decode(Encoding.ASCII.GetBytes(input), output, plusIsSpace, out var written));
        Assert.Equal(expected, Encoding.ASCII.GetString(output, 0, written));
    }

    [Fact]
    public void Decode_TooSmallDestination_SaysSo()
        => Assert.Equal(OperationStatus.DestinationTooSmall, PercentEncoding.Decode("abc"u8, new byte[2], false, out _));

    [Theory]
    [InlineData("model=pool", "a", "model=a")]
    [InlineData("x=1&model=pool&y=2", "qwen/coder:7b", "x=1&model=qwen%2Fcoder%3A7b&y=2")]
    [InlineData("%6Dodel=pool&model=other", "b c", "%6Dodel=b%20c&model=other")]
    [InlineData("model", "a", "model=a")]
    public void Replace_ChangesOnlyTheValueFindReads(string query, string model, string expected)
    {
        var replaced = QueryModel.Replace(Encoding.ASCII.GetBytes(query), model);

        Assert.Equal(expected, replaced);
        Assert.Equal((QueryModelStatus.Found, model), Find(replaced));
    }
}
