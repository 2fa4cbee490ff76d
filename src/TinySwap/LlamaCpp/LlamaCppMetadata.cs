using System.Text;
using System.Text.Json;
using TinySwap.LlamaCpp.Estimate;

namespace TinySwap.LlamaCpp;

/// <summary>The GGUF facts and estimate as shown in `/v1/models` metadata (under `llamacpp`) and by `validate`.</summary>
internal static class LlamaCppMetadata
{
    /// <summary>The model's own `metadata:` JSON with a `llamacpp` object added; unchanged for a `cmd` model.</summary>
    public static string? Merge(string? metadataJson, LlamaCppModel? model)
    {
        if (model is null)
            return metadataJson;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadataJson is not null)
            {
                using var existing = JsonDocument.Parse(metadataJson);
                foreach (var property in existing.RootElement.EnumerateObject())
                {
                    if (property.Name != "llamacpp")
                        property.WriteTo(json);
                }
            }
            json.WritePropertyName("llamacpp");
            WriteFacts(json, model);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteFacts(Utf8JsonWriter json, LlamaCppModel model)
    {
        var (facts, estimate) = (model.Facts, model.Estimate);
        json.WriteStartObject();
        WriteString(json, "architecture", facts.Architecture);
        WriteString(json, "name", facts.Name);
        json.WriteNumber("parameters", facts.ParameterCount);
        WriteString(json, "quantization", facts.FileType ?? facts.DominantTensorType);
        WriteNumber(json, "contextLength", facts.ContextLength);
        WriteNumber(json, "blockCount", facts.BlockCount);
        WriteNumber(json, "headCount", facts.HeadCount);
        WriteNumber(json, "kvHeadCount", facts.KvHeadsPerLayer.IsEmpty ? null : facts.KvHeadsPerLayer.Max());
        WriteNumber(json, "embeddingLength", facts.EmbeddingLength);
        json.WriteNumber("fileBytes", facts.FileBytes);
        json.WriteNumber("ctx", estimate.ContextSize);
        json.WriteStartObject("estimateMiB");
        json.WriteNumber("total", MemoryEstimate.ToMiB(estimate.Total));
        json.WriteNumber("weights", MemoryEstimate.ToMiB(estimate.Weights));
        json.WriteNumber("kvCache", MemoryEstimate.ToMiB(estimate.KvCache));
        json.WriteNumber("compute", MemoryEstimate.ToMiB(estimate.Compute));
        json.WriteNumber("gpu", MemoryEstimate.ToMiB(estimate.Gpu));
        json.WriteNumber("cpu", MemoryEstimate.ToMiB(estimate.Cpu));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Lines for `validate`: what the file is and what it should take.</summary>
    public static IEnumerable<string> Describe(LlamaCppModel model)
    {
        var (facts, e) = (model.Facts, model.Estimate);
        yield return $"gguf: {facts.Architecture ?? "unknown architecture"}, {Billions(facts.ParameterCount)} parameters, "
            + $"{facts.FileType ?? facts.DominantTensorType ?? "unknown quantization"}, {facts.BlockCount} layers, "
            + $"{facts.HeadCount} heads ({(facts.KvHeadsPerLayer.IsEmpty ? 0 : facts.KvHeadsPerLayer.Max())} KV), "
            + $"embedding {facts.EmbeddingLength}, trained context {facts.ContextLength}, file {MemoryEstimate.ToMiB(facts.FileBytes)} MiB (GGUF v{facts.Version})";
        yield return $"estimate at ctx {e.ContextSize}: {MemoryEstimate.ToMiB(e.Total)} MiB = weights {MemoryEstimate.ToMiB(e.Weights)} "
            + $"+ KV cache {MemoryEstimate.ToMiB(e.KvCache)} + compute {MemoryEstimate.ToMiB(e.Compute)} "
            + $"(GPU {MemoryEstimate.ToMiB(e.Gpu)}, CPU {MemoryEstimate.ToMiB(e.Cpu)})";
    }

    private static string Billions(long parameters) =>
        (parameters / 1e9).ToString(parameters >= 10_000_000_000 ? "0.#" : "0.##", System.Globalization.CultureInfo.InvariantCulture) + "B";

    private static void WriteString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
            json.WriteString(name, value);
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
            json.WriteNumber(name, v);
    }
}
