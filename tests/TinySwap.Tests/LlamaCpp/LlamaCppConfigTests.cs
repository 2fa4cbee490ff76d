using System.Text.Json;
using TinySwap.Cli;
using TinySwap.Config;
using TinySwap.LlamaCpp.Memory;

namespace TinySwap.Tests.LlamaCpp;

/// <summary>`llamacpp:`, `llamaServer:`, `slots:` and `resources: auto` through the config loader.</summary>
public sealed class LlamaCppConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tinyswap-llamacpp-").FullName;
    private readonly string _gguf;

    public LlamaCppConfigTests()
    {
        _gguf = Path.Combine(_dir, "tiny.gguf");
        File.WriteAllBytes(_gguf, GgufWriter.Llama(blocks: 4, layerBytes: 1 << 20, embedBytes: 1 << 19, outputBytes: 1 << 19).ToArray());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal sealed class FixedMemory(long memTotalMiB, string? nvidiaSmi = null) : ISystemMemorySource
    {
        public string? ReadMemInfo() => $"MemTotal:       {memTotalMiB * 1024} kB\nMemFree:  1 kB\n";
        public string? QueryNvidiaSmi() => nvidiaSmi;
    }

    private static ConfigLoadResult Load(string yaml, ISystemMemorySource? memory = null) =>
        ConfigLoader.Parse(yaml, "test.yaml", "/abs/test.yaml", _ => null, memory ?? new FixedMemory(8192));

    private static TinySwapConfig Valid(string yaml, ISystemMemorySource? memory = null)
    {
        var result = Load(yaml, memory);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Config!;
    }

    private static string[] Errors(string yaml, ISystemMemorySource? memory = null)
    {
        var result = Load(yaml, memory);
        Assert.False(result.IsValid, "expected errors");
        return [.. result.Errors.Select(e => e.ToString())];
    }

    [Fact]
    public void Llamacpp_BuildsTheArgvAllocatesAPortAndReadsTheFile()
    {
        var config = Valid($"""
            startPort: 7100
            llamaServer: /opt/llama.cpp/llama-server
            models:
              qwen:
                llamacpp:
                  model: {_gguf}
                  ctx: 8192
                  gpuLayers: 99
                  jinja: true
                  flashAttn: on
                  cacheTypeK: q8_0
                  cacheTypeV: q8_0
                  sampling: {"{"}temperature: 0.6, topP: 0.95{"}"}
                  extraArgs: [--threads, "4"]
            """);

        var model = config.Models.Single();
        Assert.Equal(
            $"/opt/llama.cpp/llama-server -m {_gguf} --host 127.0.0.1 --port 7100 --alias qwen -c 8192 -ngl 99 --jinja -fa on -ctk q8_0 -ctv q8_0 --temp 0.6 --top-p 0.95 --threads 4",
            string.Join(' ', model.Command));
        Assert.Equal(new Uri("http://127.0.0.1:7100"), model.Proxy);
        Assert.Equal("llama", model.LlamaCpp!.Facts.Architecture);
        Assert.Equal(8192, model.LlamaCpp.Estimate.ContextSize);
    }

    [Fact]
    public void Llamacpp_FactsAndEstimate_AreInTheModelsMetadata()
    {
        var config = Valid($"""
            models:
              qwen:
                metadata: {"{"}family: qwen{"}"}
                llamacpp: {"{"}model: {_gguf}{"}"}
            """);

        using var json = JsonDocument.Parse(config.Models.Single().MetadataJson!);
        Assert.Equal("qwen", json.RootElement.GetProperty("family").GetString());
        var facts = json.RootElement.GetProperty("llamacpp");
        Assert.Equal("llama", facts.GetProperty("architecture").GetString());
        Assert.Equal("Q4_K_M", facts.GetProperty("quantization").GetString());
        Assert.Equal(4, facts.GetProperty("blockCount").GetInt64());
        Assert.True(facts.GetProperty("estimateMiB").GetProperty("total").GetInt64() > 0);
    }

    [Fact]
    public void Llamacpp_DefaultBinary_IsLlamaServerOnPath()
    {
        var config = Valid($"models: {{a: {{llamacpp: {{model: {_gguf}}}}}}}");

        Assert.Equal("llama-server", config.Models.Single().Command[0]);
    }

    [Fact]
    public void Llamacpp_UnknownKey_IsAnErrorWithASuggestion()
    {
        var errors = Errors($"""
            models:
              a:
                llamacpp:
                  model: {_gguf}
                  gpuLayer: 99
            """);

        var error = Assert.Single(errors);
        Assert.StartsWith("test.yaml:5:7: models.a.llamacpp: unknown key 'gpuLayer' (did you mean 'gpuLayers'?)", error);
    }

    [Fact]
    public void Llamacpp_BadValues_PointAtTheirKeys()
    {
        var errors = Errors($"""
            models:
              a:
                llamacpp:
                  model: {_gguf}
                  cacheTypeV: q8_0
                  flashAttn: off
                  reasoningFormat: deepsek
                  extraArgs: ["--port", "9"]
            """);

        Assert.Equal(
        [
            "test.yaml:5:19: models.a.llamacpp.cacheTypeV: a q8_0 V cache needs flash attention; flashAttn is off",
            "test.yaml:7:24: models.a.llamacpp.reasoningFormat: 'deepsek' is not one of none, deepseek, deepseek-legacy, auto",
            "test.yaml:8:18: models.a.llamacpp.extraArgs: '--port' is set by tinyswap (the port it allocates), not extraArgs",
        ], errors);
    }

    [Fact]
    public void Llamacpp_MissingFile_IsAnErrorAtTheModelKey()
    {
        var error = Assert.Single(Errors($"models: {{a: {{llamacpp: {{model: {_dir}/nope.gguf}}}}}}"));

        Assert.Contains($"models.a.llamacpp.model: '{_dir}/nope.gguf' does not exist", error);
    }

    [Fact]
    public void Llamacpp_NotAGgufFile_SaysWhy()
    {
        var text = Path.Combine(_dir, "model.txt");
        File.WriteAllText(text, "hello, not a model");

        var error = Assert.Single(Errors($"models: {{a: {{llamacpp: {{model: {text}}}}}}}"));

        Assert.Contains($"models.a.llamacpp.model: {text}: not a GGUF file (the first 4 bytes are not 'GGUF')", error);
    }

    [Fact]
    public void Llamacpp_WithCmd_IsRefused()
    {
        var error = Assert.Single(Errors($"models: {{a: {{cmd: x, llamacpp: {{model: {_gguf}}}}}}}"));

        Assert.Contains("set `cmd` or `llamacpp`, not both", error);
    }

    [Fact]
    public void Slots_AddTheSlotSavePathUnderVarLib()
    {
        var config = Valid($"""
            models:
              "qwen/3:8b":
                llamacpp: {"{"}model: {_gguf}, parallel: 2{"}"}
                slots: {"{"}restoreOnStart: true, saveOnStop: true{"}"}
            """);

        var model = config.Models.Single();
        Assert.Equal("--slot-save-path /var/lib/tinyswap/slots/qwen_3_8b", string.Join(' ', model.Command.TakeLast(2)));
        Assert.Equal(new TinySwap.LlamaCpp.SlotSettings(true, true, 2), model.Slots);
    }

    [Fact]
    public void ResourcesAuto_UnifiedMemory_GivesEachModelItsEstimate()
    {
        var config = Valid($"""
            resources: auto
            models:
              a:
                llamacpp: {"{"}model: {_gguf}, ctx: 2048{"}"}
              b:
                llamacpp: {"{"}model: {_gguf}, ctx: 8192{"}"}
              c:
                cmd: server --port ${"{PORT}"}
                resources: {"{"}memory_mb: 3000{"}"}
            """, new FixedMemory(8192));

        Assert.Equal(8192 - 1024, config.Resources["memory_mb"]);
        var a = config.FindModel("a")!;
        var b = config.FindModel("b")!;
        Assert.Equal(TinySwap.LlamaCpp.Estimate.MemoryEstimate.ToMiB(a.LlamaCpp!.Estimate.Total), a.Resources["memory_mb"]);
        Assert.True(b.Resources["memory_mb"] > a.Resources["memory_mb"]);
        Assert.Equal(3000, config.FindModel("c")!.Resources["memory_mb"]);
    }

    [Fact]
    public void ResourcesAuto_WithAGpu_SplitsVramAndRam()
    {
        var config = Valid($"""
            resources: auto
            models:
              a:
                llamacpp: {"{"}model: {_gguf}, gpuLayers: 2{"}"}
            """, new FixedMemory(32768, "24576\n"));

        Assert.Equal(24576 - 512, config.Resources["vram_mb"]);
        Assert.Equal(32768 - 3276, config.Resources["ram_mb"]);
        Assert.True(config.Models.Single().Resources["vram_mb"] > 0);
        Assert.True(config.Models.Single().Resources["ram_mb"] > 0);
    }

    [Fact]
    public void ResourcesAuto_AModelThatCanNeverFit_IsAnErrorWithTheNumbers()
    {
        var error = Assert.Single(Errors($"""
            resources: auto
            models:
              big:
                llamacpp: {"{"}model: {_gguf}, ctx: 65536{"}"}
            """, new FixedMemory(1100)));

        Assert.StartsWith("test.yaml:4:15: models.big: needs memory_mb ", error);
        Assert.Contains("at ctx 65536) but resources: auto found only memory_mb 76 MiB (unified: MemTotal 1,100 MiB minus 1,024 MiB reserved)", error);
    }

    [Fact]
    public void ResourcesAuto_WithMaxRunning_IsOnePolicyTooMany()
    {
        var error = Assert.Single(Errors($"""
            resources: auto
            maxRunning: 1
            models: {"{"}a: {"{"}llamacpp: {"{"}model: {_gguf}{"}"}{"}"}{"}"}
            """));

        Assert.Contains("each choose how models are swapped", error);
    }

    [Fact]
    public void Validate_PrintsTheArgvTheFactsAndTheEstimate()
    {
        var config = Valid($"""
            resources: auto
            models:
              a:
                llamacpp: {"{"}model: {_gguf}, ctx: 2048, gpuLayers: 99{"}"}
            """);
        var output = new StringWriter();

        ConfigReport.WriteSummary(output, config, "test.yaml");

        var text = output.ToString();
        Assert.Contains($"argv: llama-server -m {_gguf} --host 127.0.0.1 --port 5800 --alias a -c 2048 -ngl 99", text);
        Assert.Contains("gguf: llama, 0B parameters, Q4_K_M, 4 layers, 32 heads (8 KV), embedding 4096, trained context 8192", text);
        Assert.Contains("estimate at ctx 2048: ", text);
        Assert.Contains("needs: memory_mb ", text);
        Assert.Contains("swap policy: resources (memory_mb 7168)", text);
    }
}
