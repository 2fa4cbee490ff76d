using TinySwap.LlamaCpp.Gguf;

namespace TinySwap.LlamaCpp.Estimate;

/// <summary>
/// How much memory llama-server will take for a model and launch settings, from the GGUF header alone (README "llama.cpp
/// models" has the formula and the published figures the tests check it against).
/// </summary>
internal static class MemoryEstimator
{
    /// <summary>llama.cpp pads the KV cache of each sequence stream to a multiple of 256 cells.</summary>
    private const long CellPadding = 256;

    public static MemoryEstimate Estimate(GgufFacts facts, EstimateSettings settings)
    {
        var context = settings.ContextSize > 0 ? settings.ContextSize : facts.ContextLength ?? 4096;
        var layers = facts.LayerBytes.Length;
        // llama.cpp offloads the last -ngl layers; more than the model has also moves the output layer.
        var gpuLayers = Math.Clamp(settings.GpuLayers ?? layers + 1, 0, layers + 1);
        var firstGpuLayer = Math.Max(layers - gpuLayers, 0);

        long weightsGpu = 0, weightsCpu = facts.InputBytes; // token embeddings always stay on the CPU
        for (var i = 0; i < layers; i++)
        {
            if (i >= firstGpuLayer && gpuLayers > 0)
                weightsGpu += facts.LayerBytes[i];
            else
                weightsCpu += facts.LayerBytes[i];
        }
        if (gpuLayers > layers)
            weightsGpu += facts.OutputBytes;
        else
            weightsCpu += facts.OutputBytes;

        // -c is the total: split into -np streams of c/np cells each, or one stream of c cells with --kv-unified.
        var streams = settings.KvUnified ? 1 : Math.Max(1, settings.Parallel);
        var cellsPerStream = Pad(context / streams);
        var cells = cellsPerStream * streams;
        long kvGpu = 0, kvCpu = 0;
        var headK = facts.HeadDimensionK ?? 0;
        var headV = facts.HeadDimensionV ?? 0;
        for (var i = 0; i < facts.KvHeadsPerLayer.Length; i++)
        {
            var kvHeads = facts.KvHeadsPerLayer[i];
            var bytes = CacheBytes(settings.CacheTypeK, cells * kvHeads * headK) + CacheBytes(settings.CacheTypeV, cells * kvHeads * headV);
            if (i >= firstGpuLayer && gpuLayers > 0)
                kvGpu += bytes;
            else
                kvCpu += bytes;
        }

        var (computeDevice, computeHost) = ComputeBuffers(facts, settings, cellsPerStream, Math.Min(settings.MicroBatch, context), streams);
        return new MemoryEstimate
        {
            ContextSize = context,
            WeightsGpu = weightsGpu,
            WeightsCpu = weightsCpu,
            KvCacheGpu = kvGpu,
            KvCacheCpu = kvCpu,
            ComputeGpu = gpuLayers > 0 ? computeDevice : 0,
            ComputeCpu = computeHost + (gpuLayers > 0 ? 0 : computeDevice),
        };
    }

    /// <summary>
    /// The scratch buffers ggml allocates for one micro-batch of u tokens over n_kv cells (f32, 4 bytes). Fitted to the
    /// buffer sizes llama.cpp logs, not derived from its allocator: the attention scores (u·n_kv·n_head, absent with
    /// flash attention) and the logits (u·n_vocab) reuse the same memory, so the larger counts, plus the mask and a few
    /// embedding-wide activations; the host side holds the mask and the input embeddings; plus the output logits.
    /// </summary>
    private static (long Device, long Host) ComputeBuffers(GgufFacts facts, EstimateSettings settings, long kvCells, long ubatch, int streams)
    {
        var heads = facts.HeadCount ?? 0;
        var embedding = facts.EmbeddingLength ?? 0;
        var vocab = facts.VocabSize ?? 0;
        var scores = settings.FlashAttention == FlashAttention.Off ? 4 * ubatch * kvCells * heads : 0;
        var logits = 4 * ubatch * vocab;
        var device = Math.Max(scores, logits) + 4 * ubatch * (kvCells + 4 * embedding);
        var host = 4 * ubatch * (kvCells + embedding) + 4 * vocab * streams;
        return (device, host);
    }

    private static long Pad(long cells) => Math.Max(CellPadding, (cells + CellPadding - 1) / CellPadding * CellPadding);

    private static long CacheBytes(string type, long elements) =>
        GgmlTypes.TryCacheTypeSize(type, out var blockBytes, out var blockSize) ? elements * blockBytes / blockSize : elements * 2;
}
