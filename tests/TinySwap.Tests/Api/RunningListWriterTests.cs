using System.Buffers;
using System.Text;
using System.Text.Json;
using TinySwap.Api;
using TinySwap.Config;
using TinySwap.Router;
using TinySwap.Tests.Proxy;
using TinySwap.Contracts;

namespace TinySwap.Tests.Api;

public sealed class RunningListWriterTests
{
    private static JsonDocument Write(TinySwapConfig config, params ModelStatus[] statuses)
    {
        var output = new ArrayBufferWriter<byte>();
        RunningListWriter.Write(output, config, new FakeStatusSource(statuses).Snapshot());
        return JsonDocument.Parse(output.WrittenMemory);
    }

    [Fact]
    public void Write_LlamaSwapShapePlusPidAndInFlight()
    {
        var model = TestModels.Model("llama") with
        {
            Command = ["/usr/bin/llama-server", "--port", "5800", "-m", "/models/my model.gguf"],
            Proxy = new Uri("http://127.0.0.1:5800"),
            Ttl = TimeSpan.FromSeconds(300),
            Name = "Llama",
        };
        using var document = Write(TestModels.Config(model), new ModelStatus("llama", ModelState.Ready, 4242, 2, 0, null));
        var entry = Assert.Single(document.RootElement.GetProperty("running").EnumerateArray());
        Assert.Equal("llama", entry.GetProperty("model").GetString());
        Assert.Equal("ready", entry.GetProperty("state").GetString());
        Assert.Equal("/usr/bin/llama-server --port 5800 -m '/models/my model.gguf'", entry.GetProperty("cmd").GetString());
        Assert.Equal("http://127.0.0.1:5800", entry.GetProperty("proxy").GetString());
        Assert.Equal(300, entry.GetProperty("ttl").GetInt64());
        Assert.Equal("Llama", entry.GetProperty("name").GetString());
        Assert.Equal("", entry.GetProperty("description").GetString());
        Assert.Equal(4242, entry.GetProperty("pid").GetInt32());
        Assert.Equal(2, entry.GetProperty("inFlight").GetInt32());
    }

    [Fact]
    public void Write_OnlyModelsWithAProcess_SortedById()
    {
        var config = TestModels.Config("abcdefg".Select(id => TestModels.Model(id.ToString())).ToArray());
        using var document = Write(config,
            new ModelStatus("g", ModelState.Stopping, 7, 0, 0, null),
            new ModelStatus("a", ModelState.Stopped, null, 0, 0, null),
            new ModelStatus("b", ModelState.Starting, 2, 0, 1, null),
            new ModelStatus("c", ModelState.Ready, 3, 0, 0, null),
            new ModelStatus("d", ModelState.Sleeping, 4, 0, 0, null),
            new ModelStatus("e", ModelState.Failed, null, 0, 0, "exit 1"),
            new ModelStatus("f", ModelState.ShutDown, null, 0, 0, null));
        var models = document.RootElement.GetProperty("running").EnumerateArray().Select(e => e.GetProperty("model").GetString());
        Assert.Equal(["b", "c", "d", "g"], models);
    }

    [Fact]
    public void Write_ModelRemovedByReloadButStillStopping_IsListedWithoutConfig()
    {
        using var document = Write(TestModels.Config(), new ModelStatus("gone", ModelState.Stopping, null, 0, 0, null));
        var entry = Assert.Single(document.RootElement.GetProperty("running").EnumerateArray());
        Assert.Equal("", entry.GetProperty("cmd").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("pid").ValueKind);
    }

    [Fact]
    public void Write_NothingRunning_IsAnEmptyList()
    {
        var output = new ArrayBufferWriter<byte>();
        RunningListWriter.Write(output, TestModels.Config(TestModels.Model("a")), []);
        Assert.Equal("""{"running":[]}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(new[] { "a", "b" }, "a b")]
    [InlineData(new[] { "--opt=x,y", "/p/a-b_c.gguf" }, "--opt=x,y /p/a-b_c.gguf")]
    [InlineData(new[] { "it's", "" }, "'it'\\''s' ''")]
    [InlineData(new[] { "$HOME", "a;b" }, "'$HOME' 'a;b'")]
    public void JoinCommand_QuotesWhatAShellWouldSplit(string[] argv, string expected)
        => Assert.Equal(expected, RunningListWriter.JoinCommand([.. argv]));
}
