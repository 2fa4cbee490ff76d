using System.Collections.Immutable;
using TinySwap.Config.Keys;
using TinySwap.Config.Macros;
using TinySwap.Config.Yaml;
using TinySwap.LlamaCpp;
using TinySwap.LlamaCpp.Estimate;
using TinySwap.LlamaCpp.Gguf;
using TinySwap.LlamaCpp.Launch;

namespace TinySwap.Config;

/// <summary>`llamacpp:` → llama-server argv, the GGUF facts and the memory estimate; `slots:`.</summary>
internal sealed partial class ModelBuilder
{
    /// <summary>Where `slots:` keeps each model's slot files (the .deb creates /var/lib/tinyswap for the service).</summary>
    public const string SlotsRoot = "/var/lib/tinyswap/slots";

    private (ImmutableArray<string> Command, LlamaCppModel? Model) BuildLlamaCpp(RawModel model, RawLlamaCpp typed, MacroScope scope, string path)
    {
        var at = path + ".llamacpp";
        if (model.Cmd is { } cmd)
            Diagnostics.Error(cmd.Node, $"{path}: set `cmd` or `llamacpp`, not both (llamacpp builds the command)");
        if (_nextPort > 65535)
        {
            Diagnostics.Error(typed.Node, $"{at}: no port left (startPort {_config.FirstPort} plus one per model runs past 65535)");
            return ([], null);
        }
        scope.AllocatedPort = _nextPort++;

        var errorsBefore = Diagnostics.ErrorCount;
        var modelPath = ExistingFile(typed.Model, typed.Node, scope, at + ".model", required: true);
        var mmproj = ExistingFile(typed.Mmproj, typed.Node, scope, at + ".mmproj", required: false);
        var launch = new LlamaServerLaunch
        {
            Model = modelPath ?? "",
            ContextSize = typed.ContextSize,
            GpuLayers = (int?)typed.GpuLayers,
            Jinja = typed.Jinja,
            ReasoningFormat = typed.ReasoningFormat,
            Parallel = (int?)typed.Parallel,
            KvUnified = typed.KvUnified,
            FlashAttention = typed.FlashAttention is { } fa ? FlashAttentionMode(fa, typed, at) : null,
            CacheTypeK = typed.CacheTypeK,
            CacheTypeV = typed.CacheTypeV,
            MicroBatch = (int?)typed.MicroBatch,
            Mmproj = mmproj,
            Sampling = new Sampling
            {
                Temperature = typed.Temperature, TopP = typed.TopP, TopK = (int?)typed.TopK, MinP = typed.MinP,
                RepeatPenalty = typed.RepeatPenalty, PresencePenalty = typed.PresencePenalty, Seed = typed.Seed,
            },
            ExtraArgs = [.. typed.ExtraArgs.ConvertAll(a => _expander.Expand(a.Value, scope, a.Node, at + ".extraArgs"))],
        };
        foreach (var problem in LaunchValidator.Validate(launch))
            Diagnostics.Error(typed.Nodes.GetValueOrDefault(problem.Key, typed.Node), $"{at}.{problem.Key}: {problem.Message}");

        GgufFacts? facts = null;
        if (modelPath is not null)
        {
            var read = GgufFile.Read(modelPath);
            if (read.Error is { } error)
                Diagnostics.Error(typed.Nodes.GetValueOrDefault("model", typed.Node), $"{at}.model: {error}");
            facts = read.Facts;
        }
        if (Diagnostics.ErrorCount != errorsBefore || facts is null)
            return ([], null);

        var slots = BuildSlots(model, launch);
        var endpoint = new LaunchEndpoint(
            Expand(_config.LlamaServer, scope, "llamaServer") ?? GlobalKeys.LlamaServer.Default,
            model.Id, scope.AllocatedPort.Value, slots.Any ? LlamaServerArgv.SlotDirectory(SlotsRoot, model.Id) : null);
        var argv = LlamaServerArgv.Build(launch, endpoint);
        return (argv, new LlamaCppModel(launch, facts, MemoryEstimator.Estimate(facts, launch.EstimateSettings)));
    }

    private static SlotSettings BuildSlots(RawModel model, LlamaServerLaunch? launch) =>
        model.Slots is { } slots
            ? new SlotSettings(slots.RestoreOnStart, slots.SaveOnStop, launch?.Parallel ?? 1)
            : SlotSettings.None;

    /// <summary>A file the server will open: expanded, absolute (a service's working directory is not the config's), present.</summary>
    private string? ExistingFile(Located<string>? value, YamlNode parent, MacroScope scope, string path, bool required)
    {
        if (value is not { } located)
        {
            if (required)
                Diagnostics.Error(parent, $"{path}: missing (the path of the model's .gguf file)");
            return null;
        }
        var file = _expander.Expand(located.Value, scope, located.Node, path);
        if (!Path.IsPathFullyQualified(file))
            Diagnostics.Error(located.Node, $"{path}: '{file}' is not an absolute path");
        else if (!File.Exists(file))
            Diagnostics.Error(located.Node, $"{path}: '{file}' does not exist");
        else
            return file;
        return null;
    }

    private FlashAttention? FlashAttentionMode(string text, RawLlamaCpp typed, string at)
    {
        switch (text)
        {
            case "on" or "true": return FlashAttention.On;
            case "off" or "false": return FlashAttention.Off;
            case "auto": return FlashAttention.Auto;
            default:
                Diagnostics.Error(typed.Nodes["flashAttn"], $"{at}.flashAttn: '{text}' is not on, off or auto");
                return null;
        }
    }
}
