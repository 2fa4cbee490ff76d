using TinySwap.LlamaCpp.Estimate;
using TinySwap.LlamaCpp.Gguf;

namespace TinySwap.LlamaCpp.Launch;

/// <summary>One thing wrong with a launch, named by the `llamacpp:` key it came from so the config can point at it.</summary>
internal sealed record LaunchProblem(string Key, string Message);

/// <summary>Checks a <see cref="LlamaServerLaunch"/> without short-circuiting: every problem at once.</summary>
internal static class LaunchValidator
{
    public static readonly string[] ReasoningFormats = ["none", "deepseek", "deepseek-legacy", "auto"];

    /// <summary>Flags tinyswap sets itself, and flags that have a typed key (passing them raw would hide them from the estimate).</summary>
    private static readonly (string[] Spellings, string Owner)[] ReservedFlags =
    [
        (["-m", "--model"], "model"),
        (["--host"], "tinyswap (always 127.0.0.1)"),
        (["--port"], "tinyswap (the port it allocates)"),
        (["-a", "--alias"], "tinyswap (the model id)"),
        (["--slot-save-path"], "slots"),
        (["-c", "--ctx-size"], "ctx"),
        (["-ngl", "--gpu-layers", "--n-gpu-layers"], "gpuLayers"),
        (["-np", "--parallel"], "parallel"),
        (["-fa", "--flash-attn"], "flashAttn"),
        (["-ctk", "--cache-type-k"], "cacheTypeK"),
        (["-ctv", "--cache-type-v"], "cacheTypeV"),
        (["-ub", "--ubatch-size"], "ubatch"),
        (["--kv-unified", "--no-kv-unified", "-kvu"], "kvUnified"),
    ];

    public static IReadOnlyList<LaunchProblem> Validate(LlamaServerLaunch launch)
    {
        var problems = new List<LaunchProblem>();
        if (launch.ContextSize is < 0)
            problems.Add(new("ctx", "must be 0 (the model's length) or a positive number of tokens"));
        if (launch.GpuLayers is < -1)
            problems.Add(new("gpuLayers", "must be -1 (all), 0 or a positive number of layers"));
        if (launch.Parallel is < 1)
            problems.Add(new("parallel", "must be at least 1"));
        if (launch.MicroBatch is < 1)
            problems.Add(new("ubatch", "must be at least 1"));
        if (launch.ReasoningFormat is { } format && !ReasoningFormats.Contains(format))
            problems.Add(new("reasoningFormat", $"'{format}' is not one of {string.Join(", ", ReasoningFormats)}"));
        CheckCacheType(problems, "cacheTypeK", launch.CacheTypeK);
        CheckCacheType(problems, "cacheTypeV", launch.CacheTypeV);
        // llama.cpp refuses a quantized V cache without flash attention ("V cache quantization requires flash_attn").
        if (launch.CacheTypeV is { } v && v is not ("f16" or "bf16" or "f32") && launch.FlashAttention == FlashAttention.Off)
            problems.Add(new("cacheTypeV", $"a {v} V cache needs flash attention; flashAttn is off"));
        CheckSampling(problems, launch.Sampling);
        foreach (var argument in launch.ExtraArgs)
        {
            var flag = argument.Split('=', 2)[0];
            foreach (var (spellings, owner) in ReservedFlags)
            {
                if (spellings.Contains(flag, StringComparer.Ordinal))
                    problems.Add(new("extraArgs", $"'{flag}' is set by {(owner.Contains(' ') ? owner : $"the '{owner}' key")}, not extraArgs"));
            }
        }
        return problems;
    }

    private static void CheckCacheType(List<LaunchProblem> problems, string key, string? type)
    {
        if (type is not null && !GgmlTypes.CacheTypes.Contains(type))
            problems.Add(new(key, $"'{type}' is not a cache type llama-server accepts ({string.Join(", ", GgmlTypes.CacheTypes)})"));
    }

    private static void CheckSampling(List<LaunchProblem> problems, Sampling sampling)
    {
        if (sampling.Temperature is < 0 or double.NaN)
            problems.Add(new("sampling.temperature", "must be 0 or more"));
        if (sampling.TopP is not null and not (>= 0 and <= 1))
            problems.Add(new("sampling.topP", "must be between 0 and 1"));
        if (sampling.MinP is not null and not (>= 0 and <= 1))
            problems.Add(new("sampling.minP", "must be between 0 and 1"));
        if (sampling.TopK is < 0)
            problems.Add(new("sampling.topK", "must be 0 (off) or more"));
        if (sampling.RepeatPenalty is < 0 or double.NaN)
            problems.Add(new("sampling.repeatPenalty", "must be 0 or more"));
    }
}
