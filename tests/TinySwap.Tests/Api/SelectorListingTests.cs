using System.Buffers;
using System.Text.Json;
using TinySwap.Api;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Tests.Config;

namespace TinySwap.Tests.Api;

/// <summary>Selectors in /v1/models and /v1/models/{id}, as llama-swap's TestServer_Selector_ModelListings shows them.</summary>
public sealed class SelectorListingTests
{
    private static readonly TinySwapConfig Config = ConfigText.Valid("""
        models:
          a: {cmd: "echo ${PORT}", aliases: [alias-a]}
          b: {cmd: "echo ${PORT}"}
          c: {cmd: "echo ${PORT}"}
        groups:
          balanced: {swap: false, members: [a, b, c]}
        peers:
          remote: {proxy: "http://example.com", models: [remote-model]}
        selectors:
          public:
            strategy: pin
            targets: [alias-a, remote/remote-model]
            name: Public Model
            description: Public selector
            metadata:
              purpose: testing
              type: overridden
          warm: {strategy: warm, targets: [a, b, c]}
          balanced:
            strategy: spillover
            targets: [a, b, c]
            settings: {spillover: 1}
          hidden-selector: {strategy: pin, targets: [a], unlisted: true}
        """);

    [Fact]
    public void List_ShowsSelectorsWithTheirMetadata_AndHidesUnlistedOnes()
    {
        using var list = Write(new ModelStatus("a", ModelState.Starting, 7, 0, 0, null));
        var byId = list.RootElement.GetProperty("data").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!);

        Assert.Equal(["a", "b", "balanced", "c", "public", "warm"], byId.Keys.Order(StringComparer.Ordinal));
        var pub = byId["public"];
        Assert.Equal("Public Model", pub.GetProperty("name").GetString());
        Assert.Equal("Public selector", pub.GetProperty("description").GetString());
        Assert.Equal("starting", pub.GetProperty("state").GetString());
        Assert.Equal("""{"purpose":"testing","type":"selector","strategy":"pin","targets":["alias-a","remote/remote-model"]}""",
            pub.GetProperty("meta").GetProperty("llamaswap").GetRawText());

        Assert.Equal("""{"type":"selector","strategy":"spillover","targets":["a","b","c"],"spillover":1}""",
            byId["balanced"].GetProperty("meta").GetProperty("llamaswap").GetRawText());
    }

    [Fact]
    public void State_IsThatOfTheTargetARequestWouldGetNow()
    {
        using var list = Write(new ModelStatus("b", ModelState.Ready, 7, 0, 0, null), new ModelStatus("c", ModelState.Starting, 8, 0, 0, null));
        var states = list.RootElement.GetProperty("data").EnumerateArray()
            .ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("state").GetString());

        Assert.Equal("stopped", states["public"]);  // pin: its first target, a, whatever else runs
        Assert.Equal("ready", states["warm"]);      // b is ready
        Assert.Equal("ready", states["balanced"]);
    }

    [Fact]
    public void WriteOne_AnswersASelector_ButNotAnUnlistedOne()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(ModelListWriter.WriteOne(output, Config, [], "warm", 1));
        using var entry = JsonDocument.Parse(output.WrittenMemory);
        Assert.Equal("warm", entry.RootElement.GetProperty("id").GetString());
        Assert.Equal("warm", entry.RootElement.GetProperty("meta").GetProperty("llamaswap").GetProperty("strategy").GetString());

        Assert.False(ModelListWriter.WriteOne(new ArrayBufferWriter<byte>(), Config, [], "hidden-selector", 1));
    }

    private static JsonDocument Write(params ModelStatus[] statuses)
    {
        var output = new ArrayBufferWriter<byte>();
        ModelListWriter.Write(output, Config, statuses, 1_700_000_000);
        return JsonDocument.Parse(output.WrittenMemory);
    }
}
