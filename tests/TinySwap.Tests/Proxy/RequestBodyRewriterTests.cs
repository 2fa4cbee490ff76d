using System.Buffers;
using System.Text;
using System.Text.Json;
using TinySwap.Config;
using TinySwap.Proxy;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Proxy;

public sealed class RequestBodyRewriterTests
{
    private static ModelConfig Model(string? useModelName = null, string[]? strip = null, params (string Key, string Json)[] set)
        => TestModels.Model("m") with
        {
            UseModelName = useModelName,
            StripParams = [.. strip ?? []],
            SetParams = [.. set.Select(p => KeyValuePair.Create(p.Key, p.Json))],
        };

    private static (RewriteStatus Status, string Body) Rewrite(string json, ModelConfig model, bool oneBytePerSegment = false)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var body = oneBytePerSegment ? Sequences.OneBytePerSegment(bytes) : Sequences.Single(bytes);
        var output = new ArrayBufferWriter<byte>();
        var status = RequestBodyRewriter.Rewrite(body, RequestBodyFilter.For(model), output, out var written);
        if (status == RewriteStatus.NotAnObject)
            return (status, "");
        Assert.Equal(output.WrittenCount, written);
        if (status == RewriteStatus.Rewritten)
            using (JsonDocument.Parse(output.WrittenMemory)) { } // always valid JSON
        return (status, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void NoFilter_IsUnchanged_AndHasNoFilterObject()
    {
        var model = Model();
        Assert.Null(RequestBodyFilter.For(model));
        Assert.Equal((RewriteStatus.Unchanged, ""), Rewrite("""{"model":"m","x":1}""", model));
    }

    [Fact]
    public void UseModelName_ReplacesModelInPlace()
        => Assert.Equal((RewriteStatus.Rewritten, """{"a" : 1,"model":"real/name:q4","b": [1.50,2e3]}"""),
            Rewrite("""{ "a" : 1 , "model": "alias", "b": [1.50,2e3] }""", Model(useModelName: "real/name:q4")));

    [Fact]
    public void UseModelName_AlreadyEqual_IsUnchanged()
        => Assert.Equal(RewriteStatus.Unchanged, Rewrite("""{"model":"re\u0061l"}""", Model(useModelName: "real")).Status);

    [Fact]
    public void UseModelName_IsEscaped()
        => Assert.Equal("""{"model":"q\"uote\\ é"}""", Rewrite("""{"model":"a"}""", Model(useModelName: "q\"uote\\ é")).Body);

    [Fact]
    public void StripParams_RemoveTopLevelKeysOnly()
        => Assert.Equal((RewriteStatus.Rewritten, """{"model":"m","keep":{"top_k":1,"temperature":2}}"""),
            Rewrite("""{"temperature":0.7,"model":"m","top_k":40,"keep":{"top_k":1,"temperature":2}}""", Model(strip: ["temperature", "top_k"])));

    [Fact]
    public void StripParams_MatchEscapedKeys()
        => Assert.Equal("""{"model":"m"}""", Rewrite("""{"model":"m","t\u0065mperature":1}""", Model(strip: ["temperature"])).Body);

    [Fact]
    public void StripParams_NothingPresent_IsUnchanged()
        => Assert.Equal(RewriteStatus.Unchanged, Rewrite("""{"model":"m","x":1}""", Model(strip: ["temperature"])).Status);

    [Fact]
    public void StripParams_NeverStripModel()
    {
        var model = Model(strip: ["model", " temperature ", "", "temperature"]);
        Assert.Equal(["temperature"], RequestBodyFilter.For(model)!.Strip.Select(Encoding.UTF8.GetString));
        Assert.Equal("""{"model":"m"}""", Rewrite("""{"model":"m","temperature":1}""", model).Body);
    }

    [Fact]
    public void StripParams_EveryMember_LeavesOnlyModel()
        => Assert.Equal("""{"model":"m"}""", Rewrite("""{"a":1,"b":2,"model":"m","c":3}""", Model(strip: ["a", "b", "c"])).Body);

    [Fact]
    public void SetParams_OverrideInPlaceAndAppendInOrder()
        => Assert.Equal((RewriteStatus.Rewritten, """{"model":"m","temperature":0.2,"x":true,"top_k":5,"chat_template_kwargs":{"enable_thinking":false}}"""),
            Rewrite("""{"model":"m","temperature":0.9,"x":true}""",
                Model(set: [("top_k", "5"), ("temperature", "0.2"), ("chat_template_kwargs", """{"enable_thinking":false}""")])));

    [Fact]
    public void SetParams_AlwaysRewrite_EvenWhenAbsentBefore()
        => Assert.Equal((RewriteStatus.Rewritten, """{"model":"m","n":1}"""), Rewrite("""{"model":"m"}""", Model(set: [("n", "1")])));

    [Fact]
    public void SetParams_CannotSetModel()
    {
        Assert.Null(RequestBodyFilter.For(Model(set: [("model", "\"other\"")])));
        Assert.Equal("""{"model":"m","n":1}""", Rewrite("""{"model":"m"}""", Model(set: [("model", "\"x\""), ("n", "1")])).Body);
    }

    [Fact]
    public void SetParams_DuplicateInputKeys_KeepOneSetValue()
        => Assert.Equal("""{"model":"m","t":0}""", Rewrite("""{"model":"m","t":1,"t":2}""", Model(set: [("t", "0")])).Body);

    [Fact]
    public void SetParams_KeyInStripToo_EndsUpSet()
        => Assert.Equal("""{"model":"m","t":0}""", Rewrite("""{"model":"m","t":1}""", Model(strip: ["t"], set: [("t", "0")])).Body);

    [Fact]
    public void SetParams_InvalidJsonValue_IsAConfigBug()
        => Assert.Throws<ArgumentException>(() => RequestBodyFilter.For(Model(set: [("t", "{nope")])));

    [Fact]
    public void AllFiltersCombined()
        => Assert.Equal("""{"messages":[{"role":"user","content":"héllo \u00e9 \ud83d\ude00"}],"model":"upstream","max_tokens":1e2,"seed":42}""",
            Rewrite("""{"messages":[{"role":"user","content":"héllo \u00e9 \ud83d\ude00"}],"model":"alias","temperature":0.1,"max_tokens":1e2}""",
                Model(useModelName: "upstream", strip: ["temperature"], set: [("seed", "42")])).Body);

    [Fact]
    public void UntouchedValues_AreCopiedByteForByte()
    {
        const string json = """{ "n" :-0.000e+00, "t":1, "big":123456789012345678901234567890, "s":"\/\u0041\n", "o":{ "k" : [ 1 , 2 ] },"model":"m" }""";
        Assert.Equal("""{"n" :-0.000e+00,"big":123456789012345678901234567890,"s":"\/\u0041\n","o":{ "k" : [ 1 , 2 ] },"model":"m"}""",
            Rewrite(json, Model(strip: ["t"])).Body);
    }

    [Fact]
    public void OneBytePerSegment_SameResultAsContiguous()
    {
        const string json = """{"a":"x","model":"alias","t":[1,{"u":2}],"z":"é"}""";
        var model = Model(useModelName: "real", strip: ["t"], set: [("s", "\"v\"")]);
        Assert.Equal(Rewrite(json, model), Rewrite(json, model, oneBytePerSegment: true));
        Assert.Equal("""{"a":"x","model":"real","z":"é","s":"v"}""", Rewrite(json, model).Body);
    }

    [Fact]
    public void LeadingByteOrderMark_IsDropped()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. """{"model":"m","t":1}"""u8];
        var output = new ArrayBufferWriter<byte>();
        var status = RequestBodyRewriter.Rewrite(Sequences.OneBytePerSegment(bytes), RequestBodyFilter.For(Model(strip: ["t"])), output, out _);
        Assert.Equal(RewriteStatus.Rewritten, status);
        Assert.Equal("""{"model":"m"}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void LargeBody_IsRewrittenWithExactLength()
    {
        var content = new string('w', 2_000_000);
        var (status, body) = Rewrite($$"""{"model":"a","prompt":"{{content}}","temperature":1}""", Model(strip: ["temperature"]));
        Assert.Equal(RewriteStatus.Rewritten, status);
        Assert.Equal($$"""{"model":"a","prompt":"{{content}}"}""", body);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("{\"model\":")]
    public void NotAnObject_IsReportedNotThrown(string json)
        => Assert.Equal(RewriteStatus.NotAnObject, Rewrite(json, Model(set: [("n", "1")])).Status);

    [Fact]
    public void BodyFilter_IsBuiltOncePerRoute()
    {
        var route = new ModelRoute(Model(strip: ["t"]), null);
        Assert.Same(route.BodyFilter, route.BodyFilter);
        Assert.NotSame(route.BodyFilter, new ModelRoute(route.Model, null).BodyFilter);
    }

    [Fact]
    public void UnchangedFastPath_WritesNothing()
    {
        var output = new ArrayBufferWriter<byte>();
        var status = RequestBodyRewriter.Rewrite(Sequences.Single("""{"model":"m"}"""u8.ToArray()), null, output, out var written);
        Assert.Equal(RewriteStatus.Unchanged, status);
        Assert.Equal(0, written);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void NestedStripParamsAreLiteralKeys_NotPaths()
    {
        // llama-swap's sjson would read "a.b" as a path; here it is the literal top-level key "a.b".
        Assert.Equal("""{"model":"m","a":{"b":1}}""", Rewrite("""{"model":"m","a":{"b":1},"a.b":2}""", Model(strip: ["a.b"])).Body);
    }

    [Fact]
    public void Filter_ExposesPreparedMembers()
    {
        var filter = RequestBodyFilter.For(Model(useModelName: "u", set: [("k", " [1, 2] ")]))!;
        Assert.Equal("\"model\":\"u\"", Encoding.UTF8.GetString(filter.ModelMember!));
        Assert.Equal("\"k\":[1, 2]", Encoding.UTF8.GetString(filter.Set.Single().Member));
        Assert.Empty(filter.Strip);
    }
}
