using TinySwap.LlamaCpp.Estimate;
using TinySwap.LlamaCpp.Launch;

namespace TinySwap.Tests.LlamaCpp;

public sealed class LlamaServerArgvTests
{
    private static readonly LaunchEndpoint Endpoint = new("llama-server", "qwen3-8b", 5800, "/var/lib/tinyswap/slots/qwen3-8b");

    private static string Argv(LlamaServerLaunch launch, LaunchEndpoint? endpoint = null) =>
        string.Join(' ', LlamaServerArgv.Build(launch, endpoint ?? Endpoint));

    [Fact]
    public void Build_OnlyAModel_PassesTheEndpointAndTheDefaultContext()
    {
        Assert.Equal(
            "llama-server -m /models/qwen3-8b.gguf --host 127.0.0.1 --port 5800 --alias qwen3-8b -c 4096 --slot-save-path /var/lib/tinyswap/slots/qwen3-8b",
            Argv(new LlamaServerLaunch { Model = "/models/qwen3-8b.gguf" }));
    }

    [Fact]
    public void Build_TheIssueExample_UsesLlamaServersFlagNames()
    {
        var launch = new LlamaServerLaunch
        {
            Model = "/var/lib/tinyswap/models/qwen3-8b-q4_k_m.gguf",
            ContextSize = 8192,
            GpuLayers = 99,
            Jinja = true,
            ReasoningFormat = "deepseek",
            Parallel = 2,
            FlashAttention = FlashAttention.Auto,
            CacheTypeK = "q8_0",
            Sampling = new Sampling { Temperature = 0.6, TopP = 0.95 },
            ExtraArgs = ["--threads", "4"],
        };

        Assert.Equal(
            "llama-server -m /var/lib/tinyswap/models/qwen3-8b-q4_k_m.gguf --host 127.0.0.1 --port 5800 --alias qwen3-8b"
            + " -c 8192 -ngl 99 --jinja --reasoning-format deepseek -np 2 -fa auto -ctk q8_0 --temp 0.6 --top-p 0.95"
            + " --slot-save-path /var/lib/tinyswap/slots/qwen3-8b --threads 4",
            Argv(launch));
    }

    [Fact]
    public void Build_EveryTypedKey_InAFixedOrder()
    {
        var launch = new LlamaServerLaunch
        {
            Model = "/m/gemma.gguf",
            ContextSize = 0,
            GpuLayers = 0,
            Jinja = false,
            ReasoningFormat = "none",
            Parallel = 4,
            KvUnified = true,
            FlashAttention = FlashAttention.On,
            CacheTypeK = "q4_0",
            CacheTypeV = "q4_0",
            MicroBatch = 256,
            Mmproj = "/m/mmproj-gemma.gguf",
            Sampling = new Sampling { Temperature = 1, TopP = 0.9, TopK = 64, MinP = 0.01, RepeatPenalty = 1.1, PresencePenalty = 1.5, Seed = 42 },
        };

        Assert.Equal(
            "/opt/llama/llama-server -m /m/gemma.gguf --host 127.0.0.1 --port 6001 --alias gemma -c 0 -ngl 0 --no-jinja"
            + " --reasoning-format none -np 4 --kv-unified -fa on -ctk q4_0 -ctv q4_0 -ub 256 --mmproj /m/mmproj-gemma.gguf"
            + " --temp 1 --top-p 0.9 --top-k 64 --min-p 0.01 --repeat-penalty 1.1 --presence-penalty 1.5 --seed 42",
            Argv(launch, new LaunchEndpoint("/opt/llama/llama-server", "gemma", 6001, SlotSavePath: null)));
    }

    [Fact]
    public void Build_PathsWithSpaces_StayOneArgumentEach()
    {
        var argv = LlamaServerArgv.Build(new LlamaServerLaunch { Model = "/my models/a b.gguf" }, Endpoint);

        Assert.Equal("/my models/a b.gguf", argv[2]);
    }

    [Theory]
    [InlineData("qwen3-8b", "/var/lib/tinyswap/slots/qwen3-8b")]
    [InlineData("qwen/qwen3:8b", "/var/lib/tinyswap/slots/qwen_qwen3_8b")]
    [InlineData("..", "/var/lib/tinyswap/slots/__")]
    [InlineData("../../etc", "/var/lib/tinyswap/slots/.._.._etc")]
    public void SlotDirectory_KeepsEveryModelInsideTheRoot(string id, string expected)
    {
        Assert.Equal(expected, LlamaServerArgv.SlotDirectory("/var/lib/tinyswap/slots", id));
    }

    [Fact]
    public void Validate_AGoodLaunch_HasNoProblems()
    {
        var launch = new LlamaServerLaunch
        {
            Model = "/m.gguf", ContextSize = 8192, CacheTypeK = "q8_0", CacheTypeV = "q8_0", FlashAttention = FlashAttention.On,
            ReasoningFormat = "deepseek-legacy", Sampling = new Sampling { TopP = 1, MinP = 0 }, ExtraArgs = ["--threads", "4", "--mlock"],
        };

        Assert.Empty(LaunchValidator.Validate(launch));
    }

    [Fact]
    public void Validate_EveryProblem_IsReportedAgainstItsKey()
    {
        var launch = new LlamaServerLaunch
        {
            Model = "/m.gguf", ContextSize = -1, Parallel = 0, GpuLayers = -2, ReasoningFormat = "deepsek",
            CacheTypeK = "q3_K", CacheTypeV = "q8_0", FlashAttention = FlashAttention.Off,
            Sampling = new Sampling { TopP = 1.5, Temperature = -1 },
            ExtraArgs = ["--port", "9", "-c", "2048", "--ctx-size=4096"],
        };

        var problems = LaunchValidator.Validate(launch).Select(p => $"{p.Key}: {p.Message}").ToArray();

        Assert.Equal(
        [
            "ctx: must be 0 (the model's length) or a positive number of tokens",
            "gpuLayers: must be -1 (all), 0 or a positive number of layers",
            "parallel: must be at least 1",
            "reasoningFormat: 'deepsek' is not one of none, deepseek, deepseek-legacy, auto",
            "cacheTypeK: 'q3_K' is not a cache type llama-server accepts (f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1)",
            "cacheTypeV: a q8_0 V cache needs flash attention; flashAttn is off",
            "sampling.temperature: must be 0 or more",
            "sampling.topP: must be between 0 and 1",
            "extraArgs: '--port' is set by tinyswap (the port it allocates), not extraArgs",
            "extraArgs: '-c' is set by the 'ctx' key, not extraArgs",
            "extraArgs: '--ctx-size' is set by the 'ctx' key, not extraArgs",
        ], problems);
    }

    [Fact]
    public void EstimateSettings_UnsetKeys_AreLlamaServersDefaults()
    {
        var settings = new LlamaServerLaunch { Model = "/m.gguf" }.EstimateSettings;

        Assert.Equal(4096, settings.ContextSize);
        Assert.Equal(1, settings.Parallel);
        Assert.Equal("f16", settings.CacheTypeK);
        Assert.Null(settings.GpuLayers);
    }
}
