using System.Buffers;
using System.Text.Json;
using TinySwap.Api;
using TinySwap.Config;
using TinySwap.Router;
using TinySwap.Tests.Proxy;
using TinySwap.Contracts;

namespace TinySwap.Tests.Api;

public sealed class ModelListWriterTests
{
    private static JsonDocument Write(TinySwapConfig config, params ModelStatus[] statuses)
    {
        var output = new ArrayBufferWriter<byte>();
        ModelListWriter.Write(output, config, new FakeStatusSource(statuses).Snapshot(), 1_700_000_000);
        return JsonDocument.Parse(output.WrittenMemory);
    }

    private static string[] Ids(JsonDocument document)
        => document.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray();

    [Fact]
    public void Write_OpenAiListShape()
    {
        var config = TestModels.Config(TestModels.Model("llama"));
        using var document = Write(config, new ModelStatus("llama", ModelState.Ready, 42, 1, 0, null));
        var root = document.RootElement;
        Assert.Equal("list", root.GetProperty("object").GetString());
        var entry = Assert.Single(root.GetProperty("data").EnumerateArray());
        Assert.Equal("llama", entry.GetProperty("id").GetString());
        Assert.Equal("model", entry.GetProperty("object").GetString());
        Assert.Equal(1_700_000_000, entry.GetProperty("created").GetInt64());
        Assert.Equal("tinyswap", entry.GetProperty("owned_by").GetString());
        Assert.Equal("ready", entry.GetProperty("state").GetString());
        Assert.False(entry.TryGetProperty("name", out _));
        Assert.False(entry.TryGetProperty("description", out _));
        Assert.False(entry.TryGetProperty("meta", out _));
    }

    [Fact]
    public void Write_NameDescriptionAndRawMetadata()
    {
        var model = TestModels.Model("m") with
        {
            Name = "  Llama 3 ",
            Description = "8B \"instruct\"",
            MetadataJson = """{"port":5801,"tags":["a","é"],"n":1.50}""",
        };
        using var document = Write(TestModels.Config(model));
        var entry = document.RootElement.GetProperty("data")[0];
        Assert.Equal("Llama 3", entry.GetProperty("name").GetString());
        Assert.Equal("8B \"instruct\"", entry.GetProperty("description").GetString());
        Assert.Equal("""{"port":5801,"tags":["a","é"],"n":1.50}""", entry.GetProperty("meta").GetProperty("llamaswap").GetRawText());
    }

    [Fact]
    public void Write_BlankNameAndInvalidMetadata_AreLeftOut()
    {
        using var document = Write(TestModels.Config(TestModels.Model("m") with { Name = "  ", MetadataJson = "{oops" }));
        var entry = document.RootElement.GetProperty("data")[0];
        Assert.False(entry.TryGetProperty("name", out _));
        Assert.False(entry.TryGetProperty("meta", out _));
    }

    [Fact]
    public void Write_HidesUnlistedAndSortsOrdinally()
    {
        var config = TestModels.Config(TestModels.Model("b"), TestModels.Model("B"), TestModels.Model("a"), TestModels.Model("hidden") with { Unlisted = true });
        using var document = Write(config);
        Assert.Equal(["B", "a", "b"], Ids(document));
    }

    [Fact]
    public void Write_AliasesOnlyWhenIncluded()
    {
        var models = new[] { TestModels.Model("m", "z-alias", "a-alias"), TestModels.Model("hidden", "hidden-alias") with { Unlisted = true } };
        using (var without = Write(TestModels.Config(models)))
            Assert.Equal(["m"], Ids(without));

        using var with = Write(TestModels.Config(includeAliases: true, models), new ModelStatus("m", ModelState.Starting, null, 0, 3, null));
        Assert.Equal(["a-alias", "m", "z-alias"], Ids(with));
        Assert.All(with.RootElement.GetProperty("data").EnumerateArray(), e => Assert.Equal("starting", e.GetProperty("state").GetString()));
    }

    [Theory]
    [InlineData(nameof(ModelState.Stopped), "stopped")]
    [InlineData(nameof(ModelState.Starting), "starting")]
    [InlineData(nameof(ModelState.Ready), "ready")]
    [InlineData(nameof(ModelState.Sleeping), "sleeping")]
    [InlineData(nameof(ModelState.Stopping), "stopping")]
    [InlineData(nameof(ModelState.Failed), "failed")]
    [InlineData(nameof(ModelState.ShutDown), "shutdown")]
    public void Write_StateNames(string state, string name)
    {
        using var document = Write(TestModels.Config(TestModels.Model("m")), new ModelStatus("m", Enum.Parse<ModelState>(state), null, 0, 0, null));
        Assert.Equal(name, document.RootElement.GetProperty("data")[0].GetProperty("state").GetString());
    }

    [Fact]
    public void Write_ModelMissingFromSnapshot_IsStopped()
    {
        using var document = Write(TestModels.Config(TestModels.Model("m")));
        Assert.Equal("stopped", document.RootElement.GetProperty("data")[0].GetProperty("state").GetString());
    }

    [Fact]
    public void Write_NoModels_IsAnEmptyList()
    {
        using var document = Write(TestModels.Config());
        Assert.Equal(0, document.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public void WriteOne_IsTheListEntryAlone()
    {
        var config = TestModels.Config(includeAliases: true, TestModels.Model("m", "m-alias") with { Name = "Llama" }, TestModels.Model("other"));
        var snapshot = new FakeStatusSource(new ModelStatus("m", ModelState.Ready, 42, 1, 0, null)).Snapshot();
        using var list = Write(config, new ModelStatus("m", ModelState.Ready, 42, 1, 0, null));

        foreach (var id in new[] { "m", "m-alias" })
        {
            var output = new ArrayBufferWriter<byte>();
            Assert.True(ModelListWriter.WriteOne(output, config, snapshot, id, 1_700_000_000));
            using var one = JsonDocument.Parse(output.WrittenMemory);
            var entry = list.RootElement.GetProperty("data").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
            Assert.Equal(entry.GetRawText(), one.RootElement.GetRawText());
        }
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("hidden")]
    [InlineData("m-alias")]
    [InlineData("M")]
    public void WriteOne_IdTheListDoesNotShow_IsNotFound(string id)
    {
        var config = TestModels.Config(TestModels.Model("m", "m-alias"), TestModels.Model("hidden") with { Unlisted = true });
        var output = new ArrayBufferWriter<byte>();

        Assert.False(ModelListWriter.WriteOne(output, config, [], id, 0));
        Assert.Equal(0, output.WrittenCount);
    }
}
