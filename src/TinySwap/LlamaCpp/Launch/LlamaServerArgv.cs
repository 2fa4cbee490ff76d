using System.Collections.Immutable;
using System.Globalization;
using TinySwap.LlamaCpp.Estimate;

namespace TinySwap.LlamaCpp.Launch;

/// <summary>Builds llama-server's argv from a <see cref="LlamaServerLaunch"/>, with llama-server's own flag names.</summary>
internal static class LlamaServerArgv
{
    /// <summary>
    /// `-c` when `ctx` is unset. Always passed, so the memory estimate and the server agree whatever default the
    /// installed llama-server has (it has moved between 512, 4096 and "the model's length" over the years).
    /// </summary>
    public const long DefaultContextSize = 4096;

    public static ImmutableArray<string> Build(LlamaServerLaunch launch, LaunchEndpoint endpoint)
    {
        var argv = ImmutableArray.CreateBuilder<string>();
        argv.Add(endpoint.Binary);
        argv.AddRange("-m", launch.Model);
        argv.AddRange("--host", endpoint.Host);
        argv.AddRange("--port", Number(endpoint.Port));
        argv.AddRange("--alias", endpoint.Alias);
        argv.AddRange("-c", Number(launch.ContextSize ?? DefaultContextSize));
        if (launch.GpuLayers is { } gpuLayers)
            argv.AddRange("-ngl", Number(gpuLayers));
        if (launch.Jinja is { } jinja)
            argv.Add(jinja ? "--jinja" : "--no-jinja");
        if (launch.ReasoningFormat is { } reasoning)
            argv.AddRange("--reasoning-format", reasoning);
        if (launch.Parallel is { } parallel)
            argv.AddRange("-np", Number(parallel));
        if (launch.KvUnified is { } unified)
            argv.Add(unified ? "--kv-unified" : "--no-kv-unified");
        if (launch.FlashAttention is { } flash)
            argv.AddRange("-fa", flash switch { FlashAttention.On => "on", FlashAttention.Off => "off", _ => "auto" });
        if (launch.CacheTypeK is { } cacheK)
            argv.AddRange("-ctk", cacheK);
        if (launch.CacheTypeV is { } cacheV)
            argv.AddRange("-ctv", cacheV);
        if (launch.MicroBatch is { } ubatch)
            argv.AddRange("-ub", Number(ubatch));
        if (launch.Mmproj is { } mmproj)
            argv.AddRange("--mmproj", mmproj);
        AddSampling(argv, launch.Sampling);
        if (endpoint.SlotSavePath is { } slots)
            argv.AddRange("--slot-save-path", slots);
        argv.AddRange(launch.ExtraArgs);
        return argv.ToImmutable();
    }

    private static void AddSampling(ImmutableArray<string>.Builder argv, Sampling sampling)
    {
        if (sampling.Temperature is { } temperature)
            argv.AddRange("--temp", Number(temperature));
        if (sampling.TopP is { } topP)
            argv.AddRange("--top-p", Number(topP));
        if (sampling.TopK is { } topK)
            argv.AddRange("--top-k", Number(topK));
        if (sampling.MinP is { } minP)
            argv.AddRange("--min-p", Number(minP));
        if (sampling.RepeatPenalty is { } repeat)
            argv.AddRange("--repeat-penalty", Number(repeat));
        if (sampling.PresencePenalty is { } presence)
            argv.AddRange("--presence-penalty", Number(presence));
        if (sampling.Seed is { } seed)
            argv.AddRange("--seed", Number(seed));
    }

    /// <summary>
    /// Where a model's slot files go: one directory per model under <paramref name="root"/>. Model ids may hold `/` and
    /// `:` (qwen/qwen3:8b); anything but letters, digits, `.`, `_` and `-` becomes `_` so an id cannot climb out of root.
    /// </summary>
    public static string SlotDirectory(string root, string modelId)
    {
        var safe = string.Create(modelId.Length, modelId, static (span, id) =>
        {
            for (var i = 0; i < id.Length; i++)
                span[i] = char.IsAsciiLetterOrDigit(id[i]) || id[i] is '.' or '_' or '-' ? id[i] : '_';
        });
        if (safe.Trim('.').Length == 0)
            safe = safe.Replace('.', '_');
        return Path.Combine(root, safe);
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
