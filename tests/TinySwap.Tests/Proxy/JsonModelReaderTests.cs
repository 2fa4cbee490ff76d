using System.Buffers;
using System.Text;
using TinySwap.Proxy;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Proxy;

public sealed class JsonModelReaderTests
{
    private static JsonModelResult Read(string json, out string? model)
        => JsonModelReader.Read(Sequences.Single(Encoding.UTF8.GetBytes(json)), out model);

    [Theory]
    [InlineData("""{"model":"llama"}""", "llama")]
    [InlineData("""{ "messages": [], "model" : "llama" }""", "llama")]
    [InlineData(""" {"model":"org/llama-3:8b"} """, "org/llama-3:8b")]
    [InlineData("""{"mo\u0064el":"llama"}""", "llama")]
    [InlineData("""{"model":"ll\u0061ma"}""", "llama")]
    [InlineData("""{"model":"caf\u00e9 \"q\" \\ /"}""", "café \"q\" \\ /")]
    [InlineData("""{"model":"模型🙂"}""", "模型🙂")]
    public void Read_TopLevelModelString_IsFound(string json, string expected)
    {
        var result = Read(json, out var model);
        Assert.Equal(JsonModelStatus.Found, result.Status);
        Assert.Equal(expected, model);
        Assert.Equal(expected.Length, result.ModelLength);
    }

    [Theory]
    [InlineData("""{"messages":[{"model":"nested"}],"x":{"model":"deeper"}}""")]
    [InlineData("""{"input":"model","Model":"caps","MODEL":"x"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"model":""}""")]
    public void Read_NoTopLevelModelOrEmpty_IsNoModel(string json)
    {
        var result = Read(json, out var model);
        Assert.Equal(JsonModelStatus.NoModel, result.Status);
        Assert.Null(model);
        Assert.Equal(0, result.ModelLength);
    }

    [Fact]
    public void Read_NestedModelKeysAround_TopLevelOneWins()
    {
        var result = Read("""{"a":{"model":"inner","b":[{"model":"x"}]},"model":"outer","c":{"model":"after"}}""", out var model);
        Assert.Equal(JsonModelStatus.Found, result.Status);
        Assert.Equal("outer", model);
    }

    [Theory]
    [InlineData("""{"model":1}""")]
    [InlineData("""{"model":null}""")]
    [InlineData("""{"model":true}""")]
    [InlineData("""{"model":{"id":"llama"}}""")]
    [InlineData("""{"model":["llama"]}""")]
    public void Read_ModelNotAString_IsModelNotString(string json)
        => Assert.Equal(JsonModelStatus.ModelNotString, Read(json, out _).Status);

    [Theory]
    [InlineData("""{"model":"a","model":"b"}""")]
    [InlineData("""{"model":"a","x":1,"mo\u0064el":"a"}""")]
    [InlineData("""{"model":1,"model":"b"}""")]
    public void Read_DuplicateTopLevelModel_IsRefused(string json)
        => Assert.Equal(JsonModelStatus.DuplicateModel, Read(json, out _).Status);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("""{"model":"a" """)]
    [InlineData("""{"model":"a",}""")]
    [InlineData("""{"model":"a"}x""")]
    [InlineData("""{"model":"a"}{}""")]
    [InlineData("""{'model':'a'}""")]
    [InlineData("""{"model":"a" /* c */}""")]
    [InlineData("""{"model":"a\x"}""")]
    [InlineData("""{"model":"a","n":01}""")]
    public void Read_InvalidJson_IsInvalidJson(string json)
        => Assert.Equal(JsonModelStatus.InvalidJson, Read(json, out _).Status);

    [Theory]
    [InlineData("[]")]
    [InlineData("""["model"]""")]
    [InlineData("\"model\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Read_ValidButNotAnObject_IsNotAnObject(string json)
        => Assert.Equal(JsonModelStatus.NotAnObject, Read(json, out _).Status);

    [Fact]
    public void Read_InvalidUtf8InModel_IsInvalidJson()
    {
        byte[] body = [.. """{"model":" """u8.ToArray().AsSpan(0, 10), 0xC3, 0x28, (byte)'"', (byte)'}'];
        Assert.Equal(JsonModelStatus.InvalidJson, JsonModelReader.Read(Sequences.Single(body), out _).Status);
    }

    [Theory]
    [InlineData("""{"model":"a","stream":true}""", true)]
    [InlineData("""{"stream":false,"model":"a"}""", false)]
    [InlineData("""{"model":"a","stream":"true"}""", false)]
    [InlineData("""{"model":"a","x":{"stream":true}}""", false)]
    [InlineData("""{"model":"a"}""", false)]
    public void Read_ReportsTopLevelStreamTrue(string json, bool stream)
        => Assert.Equal(stream, Read(json, out _).Stream);

    [Fact]
    public void Read_NameLongerThanBuffer_IsModelTooLong()
    {
        var body = Sequences.Single("""{"model":"abcdefghij"}"""u8.ToArray());
        Assert.Equal(JsonModelStatus.ModelTooLong, JsonModelReader.Read(body, new char[9]).Status);
        var fits = JsonModelReader.Read(body, new char[10]);
        Assert.Equal(JsonModelStatus.Found, fits.Status);
        Assert.Equal(10, fits.ModelLength);
    }

    [Fact]
    public void Read_EscapedNameThatFitsOnlyOnceDecoded_IsFound()
    {
        // 12 raw bytes, 2 characters.
        var body = Sequences.Single("""{"model":"\u0061\u0062"}"""u8.ToArray());
        var buffer = new char[4];
        var result = JsonModelReader.Read(body, buffer);
        Assert.Equal(JsonModelStatus.Found, result.Status);
        Assert.Equal("ab", new string(buffer, 0, result.ModelLength));
    }

    [Fact]
    public void Read_DeeplyNestedWithinMaxDepth_IsFound()
    {
        var depth = JsonModelReader.MaxDepth - 1;
        var json = """{"x":""" + new string('[', depth - 1) + new string(']', depth - 1) + ""","model":"m"}""";
        Assert.Equal(JsonModelStatus.Found, Read(json, out _).Status);
    }

    [Fact]
    public void Read_NestedBeyondMaxDepth_IsInvalidJson()
    {
        var depth = JsonModelReader.MaxDepth + 1;
        var json = """{"model":"m","x":""" + new string('[', depth) + new string(']', depth) + "}";
        Assert.Equal(JsonModelStatus.InvalidJson, Read(json, out _).Status);
    }

    [Fact]
    public void Read_HugeBodyWithModelLast_IsFound()
    {
        var big = new StringBuilder("""{"messages":[""");
        for (var i = 0; i < 20_000; i++)
            big.Append(i == 0 ? "" : ",").Append("""{"role":"user","content":"lorem ipsum dolor sit amet \"model\": 1.5e10"}""");
        big.Append("""],"model":"last"}""");
        var bytes = Encoding.UTF8.GetBytes(big.ToString());
        Assert.True(bytes.Length > 1_000_000);

        var result = JsonModelReader.Read(Sequences.Chunked(bytes, 4096), out var model);
        Assert.Equal(JsonModelStatus.Found, result.Status);
        Assert.Equal("last", model);
    }

    [Fact]
    public void Read_OneBytePerSegment_FindsModelAndStream()
    {
        var bytes = """{"a":[1,{"model":"x"}],"mo\u0064el" : "ll\u0061ma/3:8b","stream":true,"z":"é"}"""u8.ToArray();
        var result = JsonModelReader.Read(Sequences.OneBytePerSegment(bytes), out var model);
        Assert.Equal(JsonModelStatus.Found, result.Status);
        Assert.Equal("llama/3:8b", model);
        Assert.True(result.Stream);
    }

    [Fact]
    public void Read_EveryCutIntoTwoSegments_AgreesWithContiguous()
    {
        var bytes = """{"a":[1,{"model":"x"}],"model" : "ll\u0061ma","stream":true}"""u8.ToArray();
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var result = JsonModelReader.Read(Sequences.CutAt(bytes, [cut]), out var model);
            Assert.Equal(JsonModelStatus.Found, result.Status);
            Assert.Equal("llama", model);
            Assert.True(result.Stream);
        }
    }

    [Fact]
    public void Read_EveryProperPrefix_NeverFindsAModel()
    {
        // A truncated body must never route: each prefix is invalid (or, for whitespace-only, empty) JSON.
        var bytes = """ {"model":"llama","messages":[{"role":"user","content":"hi"}],"n":12.5e-3} """u8.ToArray();
        for (var length = 0; length < bytes.Length - 1; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            Assert.Equal(JsonModelStatus.InvalidJson, JsonModelReader.Read(Sequences.Single(prefix), out _).Status);
            Assert.Equal(JsonModelStatus.InvalidJson, JsonModelReader.Read(Sequences.OneBytePerSegment(prefix), out _).Status);
        }
    }

    [Fact]
    public void Read_Utf8Bom_IsTolerated()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. """{"model":"a"}"""u8];
        foreach (var sequence in new[] { Sequences.Single(body), Sequences.OneBytePerSegment(body) })
        {
            var result = JsonModelReader.Read(sequence, out var model);
            Assert.Equal(JsonModelStatus.Found, result.Status);
            Assert.Equal("a", model);
        }
    }

    [Fact]
    public void Read_EmptySequence_IsInvalidJson()
        => Assert.Equal(JsonModelStatus.InvalidJson, JsonModelReader.Read(ReadOnlySequence<byte>.Empty, out _).Status);
}
