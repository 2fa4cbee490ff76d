using System.Text;
using TinySwap.Proxy;

namespace TinySwap.Tests.Proxy;

public sealed class ModelNameIndexTests
{
    private static readonly ModelNameIndex Index = new(TestModels.Config(
        TestModels.Model("llama-8b", "llama", "gpt-4o"),
        TestModels.Model("org/qwen:7b"),
        TestModels.Model("secret") with { Unlisted = true },
        TestModels.Model("模型")));

    [Theory]
    [InlineData("llama-8b", "llama-8b")]
    [InlineData("llama", "llama-8b")]
    [InlineData("gpt-4o", "llama-8b")]
    [InlineData("org/qwen:7b", "org/qwen:7b")]
    [InlineData("secret", "secret")]
    [InlineData("模型", "模型")]
    public void Find_IdOrAlias_ResolvesInEveryForm(string name, string id)
    {
        Assert.Equal(id, Index.Find(name)?.Id);
        Assert.Equal(id, Index.Find(name.AsSpan())?.Id);
        Assert.Equal(id, Index.FindUtf8(Encoding.UTF8.GetBytes(name))?.Id);
    }

    [Theory]
    [InlineData("LLAMA")]          // llama-swap matches case-sensitively
    [InlineData("llama ")]
    [InlineData(" llama")]
    [InlineData("org/qwen")]
    [InlineData("")]
    [InlineData("llama-8b-and-a-much-longer-name-than-any-configured-one")]
    public void Find_AnythingElse_IsUnknown(string name)
    {
        Assert.Null(Index.Find(name));
        Assert.Null(Index.Find(name.AsSpan()));
        Assert.Null(Index.FindUtf8(Encoding.UTF8.GetBytes(name)));
    }

    [Fact]
    public void FindUtf8_InvalidUtf8_IsUnknown()
        => Assert.Null(Index.FindUtf8([(byte)'l', 0xFF, (byte)'a']));

    [Fact]
    public void FindUtf8_LongNames_AreDecodedBeyondTheStackBuffer()
    {
        var longId = new string('x', 300) + "é";
        var index = new ModelNameIndex(TestModels.Config(TestModels.Model(longId)));
        Assert.Equal(longId, index.FindUtf8(Encoding.UTF8.GetBytes(longId))?.Id);
        Assert.Null(index.FindUtf8(Encoding.UTF8.GetBytes(new string('x', 301) + "é")));
    }

    [Fact]
    public void ListedNames_HideUnlistedModels()
        => Assert.Equal<string>(["llama-8b", "org/qwen:7b", "模型"], Index.ListedNames);

    [Fact]
    public void ListedNames_IncludeAliasesWhenConfigured()
    {
        var index = new ModelNameIndex(TestModels.Config(includeAliases: true, TestModels.Model("b", "a", "c")));
        Assert.Equal<string>(["a", "b", "c"], index.ListedNames);
    }

    [Fact]
    public void UnknownModelMessage_EchoesTheNameAndListsOnlyListedModels()
    {
        var message = Index.UnknownModelMessage("gpt-5");
        Assert.Equal("model 'gpt-5' not found; available models: llama-8b, org/qwen:7b, 模型", message);
        Assert.DoesNotContain("secret", message);
    }

    [Fact]
    public void UnknownModelMessage_TruncatesHugeNames()
    {
        var message = Index.UnknownModelMessage(new string('a', 10_000));
        Assert.Contains(new string('a', ModelNameIndex.MaxEchoedNameLength) + "…'", message);
        Assert.True(message.Length < 400);
    }

    [Fact]
    public void UnknownModelMessage_CapsTheList()
    {
        var models = Enumerable.Range(0, ModelNameIndex.MaxNamesInMessage + 7).Select(i => TestModels.Model($"m{i:D3}")).ToArray();
        var message = new ModelNameIndex(TestModels.Config(models)).UnknownModelMessage("x");
        Assert.EndsWith("m049 and 7 more", message);
    }

    [Fact]
    public void UnknownModelMessage_WithNothingListed_SaysSo()
    {
        var index = new ModelNameIndex(TestModels.Config(TestModels.Model("hidden") with { Unlisted = true }));
        Assert.Equal("model 'x' not found; no models are available", index.UnknownModelMessage("x"));
    }

    [Fact]
    public void UnknownModelMessageUtf8_ShowsInvalidBytesAsReplacement()
        => Assert.StartsWith("model 'a\uFFFDb' not found", Index.UnknownModelMessageUtf8([(byte)'a', 0xFF, (byte)'b']));
}
