using System.Collections.Immutable;
using TinySwap.LlamaCpp.Estimate;
using TinySwap.LlamaCpp.Gguf;

namespace TinySwap.Tests.LlamaCpp;

/// <summary>
/// The estimate against figures llama.cpp printed for real models. Architecture constants come from each model's
/// config.json on Hugging Face (cited per test); the figures from logs quoted in public threads (cited per test).
/// </summary>
public sealed class MemoryEstimatorTests
{
    private const long MiB = 1 << 20;

    internal static GgufFacts Model(int layers, int heads, int kvHeads, int embedding, int vocab, long layerBytes = 100 * MiB,
        long inputBytes = 50 * MiB, long outputBytes = 50 * MiB, int contextLength = 8192) => new()
    {
        Version = 3,
        FileBytes = inputBytes + outputBytes + layers * layerBytes,
        Architecture = "llama",
        TensorCount = layers * 9 + 3,
        ParameterCount = 0,
        ContextLength = contextLength,
        BlockCount = layers,
        HeadCount = heads,
        EmbeddingLength = embedding,
        VocabSize = vocab,
        KvHeadsPerLayer = [.. Enumerable.Repeat((long)kvHeads, layers)],
        InputBytes = inputBytes,
        LayerBytes = [.. Enumerable.Repeat(layerBytes, layers)],
        OutputBytes = outputBytes,
    };

    private static void Within10Percent(double published, long estimate) =>
        Assert.InRange(estimate, published * 0.9, published * 1.1);

    // Mistral-7B (mistralai/Mistral-7B-Instruct-v0.2 config.json: 32 layers, 32 heads, 8 KV heads, hidden 4096,
    // vocab 32000). llama-server log in fedora-copr/logdetective#106 (flash_attn = 0, n_ubatch = 512):
    //   n_ctx 2048:  KV 256.00 MiB, CUDA0 compute 164.00 MiB, CUDA_Host compute 12.01 MiB, output 0.12 MiB
    //   n_ctx 32768: KV 4096.00 MiB, CUDA0 compute 2144.00 MiB, CUDA_Host compute 72.01 MiB, output 0.12 MiB
    [Theory]
    [InlineData(2048, 256.0, 164.0 + 12.01 + 0.12)]
    [InlineData(32768, 4096.0, 2144.0 + 72.01 + 0.12)]
    public void Estimate_Mistral7B_MatchesLlamaServerLog(long context, double kvMiB, double computeMiB)
    {
        var estimate = MemoryEstimator.Estimate(Model(32, 32, 8, 4096, 32000),
            new EstimateSettings { ContextSize = context, FlashAttention = FlashAttention.Off });

        Assert.Equal((long)(kvMiB * MiB), estimate.KvCache);
        Within10Percent(computeMiB * MiB, estimate.Compute);
    }

    // Meta-Llama-3-8B (meta-llama/Meta-Llama-3-8B config.json: 32 layers, 32 heads, 8 KV heads, hidden 4096): 128 KiB
    // of f16 K and V per token, so 8192 tokens take 1 GiB, the "KV self size = 1024.00 MiB" llama.cpp prints for it.
    [Fact]
    public void Estimate_Llama3_8B_At8192_HasAOneGibKvCache()
    {
        var estimate = MemoryEstimator.Estimate(Model(32, 32, 8, 4096, 128256), new EstimateSettings { ContextSize = 8192 });

        Assert.Equal(1024 * MiB, estimate.KvCache);
    }

    // SmolLM2-360M (HuggingFaceTB/SmolLM2-360M config.json: 32 layers, 15 heads, 5 KV heads, hidden 960): measured
    // "KV @2048: 80 → 42.5 MiB" going from f16 to q8_0 in gianlucamazza/xllama#181.
    [Theory]
    [InlineData("f16", 80.0)]
    [InlineData("q8_0", 42.5)]
    public void Estimate_SmolLM2_360M_KvCacheByCacheType(string cacheType, double kvMiB)
    {
        var estimate = MemoryEstimator.Estimate(Model(32, 15, 5, 960, 49152),
            new EstimateSettings { ContextSize = 2048, CacheTypeK = cacheType, CacheTypeV = cacheType, FlashAttention = FlashAttention.On });

        Assert.Equal((long)(kvMiB * MiB), estimate.KvCache);
    }

    // TriLM 3.9B (30 layers, n_embd 3072, no grouped-query attention) at n_ctx 512: "KV self size = 180.00 MiB" in the
    // llama.cpp log quoted in mozilla-ai/llamafile#552.
    [Fact]
    public void Estimate_TriLM_At512_MatchesLlamafileLog()
    {
        var estimate = MemoryEstimator.Estimate(Model(30, 24, 24, 3072, 50688), new EstimateSettings { ContextSize = 512 });

        Assert.Equal(180 * MiB, estimate.KvCache);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public void Estimate_ParallelSlots_ShareTheContextInsteadOfMultiplyingIt(int parallel, bool unified)
    {
        // llama-server's -c is the total across slots (ggml-org/llama.cpp#9016: with -np 4 each slot gets a quarter).
        var estimate = MemoryEstimator.Estimate(Model(32, 32, 8, 4096, 128256),
            new EstimateSettings { ContextSize = 8192, Parallel = parallel, KvUnified = unified });

        Assert.Equal(1024 * MiB, estimate.KvCache);
    }

    [Fact]
    public void Estimate_ZeroContext_UsesTheModelsTrainedLength()
    {
        var estimate = MemoryEstimator.Estimate(Model(32, 32, 8, 4096, 128256, contextLength: 16384), new EstimateSettings { ContextSize = 0 });

        Assert.Equal(16384, estimate.ContextSize);
        Assert.Equal(2048 * MiB, estimate.KvCache);
    }

    [Fact]
    public void Estimate_HalfTheLayersOffloaded_SplitsWeightsAndCacheByLayer()
    {
        var facts = Model(32, 32, 8, 4096, 128256);

        var estimate = MemoryEstimator.Estimate(facts, new EstimateSettings { ContextSize = 8192, GpuLayers = 16 });

        Assert.Equal(16 * 100 * MiB, estimate.WeightsGpu);
        Assert.Equal(16 * 100 * MiB + 50 * MiB + 50 * MiB, estimate.WeightsCpu); // input and output stay on the CPU
        Assert.Equal(512 * MiB, estimate.KvCacheGpu);
        Assert.Equal(512 * MiB, estimate.KvCacheCpu);
        Assert.Equal(facts.WeightBytes, estimate.Weights);
    }

    [Fact]
    public void Estimate_EveryLayerOffloaded_PutsAllButTheInputOnTheGpu()
    {
        var estimate = MemoryEstimator.Estimate(Model(32, 32, 8, 4096, 128256), new EstimateSettings { GpuLayers = 99 });

        Assert.Equal(50 * MiB, estimate.WeightsCpu);
        Assert.Equal(0, estimate.KvCacheCpu);
        Assert.True(estimate.ComputeGpu > 0);
    }

    [Fact]
    public void Estimate_NothingOffloaded_KeepsEverythingOnTheCpu()
    {
        var estimate = MemoryEstimator.Estimate(Model(32, 32, 8, 4096, 128256), new EstimateSettings { GpuLayers = 0 });

        Assert.Equal(0, estimate.Gpu);
        Assert.Equal(estimate.Total, estimate.Cpu);
    }

    [Fact]
    public void Estimate_FlashAttention_DropsTheAttentionScoresFromCompute()
    {
        var facts = Model(32, 32, 8, 4096, 32000);
        var off = MemoryEstimator.Estimate(facts, new EstimateSettings { ContextSize = 32768, FlashAttention = FlashAttention.Off });
        var on = MemoryEstimator.Estimate(facts, new EstimateSettings { ContextSize = 32768, FlashAttention = FlashAttention.On });

        Assert.True(off.Compute - on.Compute > 1900 * MiB, $"{off.Compute} vs {on.Compute}");
    }

    [Fact]
    public void Estimate_LayersWithoutAttention_HaveNoKvCache()
    {
        var facts = Model(4, 32, 8, 4096, 32000) with { KvHeadsPerLayer = ImmutableArray.Create(0L, 8, 0, 8) };

        var estimate = MemoryEstimator.Estimate(facts, new EstimateSettings { ContextSize = 8192 });

        Assert.Equal(2 * 32 * MiB, estimate.KvCache);
    }
}
