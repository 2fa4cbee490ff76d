using TinySwap.Config.Yaml;
using static TinySwap.Config.Keys.KeyOrigin;

namespace TinySwap.Config.Keys;

/// <summary>A model's `llamacpp:` as written; <see cref="Nodes"/> keeps each key's value node so problems point at it.</summary>
internal sealed class RawLlamaCpp(YamlNode node)
{
    public YamlNode Node { get; } = node;
    public Dictionary<string, YamlNode> Nodes { get; } = new(StringComparer.Ordinal);
    public Located<string>? Model { get; set; }
    public Located<string>? Mmproj { get; set; }
    public long? ContextSize { get; set; }
    public long? GpuLayers { get; set; }
    public bool? Jinja { get; set; }
    public string? ReasoningFormat { get; set; }
    public long? Parallel { get; set; }
    public bool? KvUnified { get; set; }
    public string? FlashAttention { get; set; }
    public string? CacheTypeK { get; set; }
    public string? CacheTypeV { get; set; }
    public long? MicroBatch { get; set; }
    public double? Temperature { get; set; }
    public double? TopP { get; set; }
    public long? TopK { get; set; }
    public double? MinP { get; set; }
    public double? RepeatPenalty { get; set; }
    public double? PresencePenalty { get; set; }
    public long? Seed { get; set; }
    public List<Located<string>> ExtraArgs { get; } = [];
}

/// <summary>A model's `slots:` as written.</summary>
internal sealed class RawSlots
{
    public bool RestoreOnStart { get; set; }
    public bool SaveOnStop { get; set; }
}

/// <summary>`llamacpp:` (typed llama-server launch, instead of `cmd`), its `sampling:`, and `slots:`.</summary>
internal static class LlamaCppKeys
{
    public static readonly ConfigSection<RawLlamaCpp> Sampling = new("models.ID.llamacpp.sampling", "llama-server default sampling",
    [
        Number("temperature", "`--temp`", (l, v) => l.Temperature = v, "sampling."),
        Number("topP", "`--top-p`", (l, v) => l.TopP = v, "sampling."),
        Integer("topK", "`--top-k`", 0, (l, v) => l.TopK = v, "sampling."),
        Number("minP", "`--min-p`", (l, v) => l.MinP = v, "sampling."),
        Number("repeatPenalty", "`--repeat-penalty`", (l, v) => l.RepeatPenalty = v, "sampling."),
        Number("presencePenalty", "`--presence-penalty`", (l, v) => l.PresencePenalty = v, "sampling."),
        Integer("seed", "`--seed`", long.MinValue, (l, v) => l.Seed = v, "sampling."),
    ], unknownIsError: true);

    public static readonly ConfigSection<RawLlamaCpp> Section = new("models.ID.llamacpp", "llama.cpp launch",
    [
        new("model", Ours, "required", "path of the `.gguf` file (`-m`); read at load for its facts and memory estimate",
            (at, l, v) => { l.Nodes["model"] = v; l.Model = at.Text(v); }),
        Integer("ctx", "`-c`: total context over all slots; 0 = the model's trained length (default 4096, always passed)", 0, (l, v) => l.ContextSize = v),
        Integer("gpuLayers", "`-ngl`: layers offloaded to the GPU (-1 or more than the model has = all)", -1, (l, v) => l.GpuLayers = v),
        Flag("jinja", "`--jinja` / `--no-jinja`: use the model's chat template", (l, v) => l.Jinja = v),
        Word("reasoningFormat", "`--reasoning-format`: none, deepseek, deepseek-legacy, auto", (l, v) => l.ReasoningFormat = v),
        Integer("parallel", "`-np`: slots; they share `ctx`", 1, (l, v) => l.Parallel = v),
        Flag("kvUnified", "`--kv-unified` / `--no-kv-unified`: one KV buffer for all slots", (l, v) => l.KvUnified = v),
        Word("flashAttn", "`-fa`: on, off or auto", (l, v) => l.FlashAttention = v),
        Word("cacheTypeK", "`-ctk`: f16, q8_0, q4_0… (K cache type)", (l, v) => l.CacheTypeK = v),
        Word("cacheTypeV", "`-ctv`: V cache type; quantized needs flash attention", (l, v) => l.CacheTypeV = v),
        Integer("ubatch", "`-ub`: physical batch size", 1, (l, v) => l.MicroBatch = v),
        new("mmproj", Ours, "", "`--mmproj`: multimodal projector file", (at, l, v) => { l.Nodes["mmproj"] = v; l.Mmproj = at.Text(v); }),
        new("sampling", Ours, "", "default sampling: `temperature`, `topP`, `topK`, `minP`, `repeatPenalty`, `presencePenalty`, `seed`",
            (at, l, v) => Sampling.Read(at.Reader, at.Sections, l, v, at.Path)),
        new("extraArgs", Ours, "", "more llama-server flags, one list item per argument (not ones a key above sets)", (at, l, v) =>
        {
            l.Nodes["extraArgs"] = v;
            l.ExtraArgs.AddRange(RawConfigReader.Located(at.Reader.StringList(v, at.Path)));
        }),
    ], unknownIsError: true);

    public static readonly ConfigSection<RawSlots> Slots = new("models.ID.slots", "llama-server KV-cache slots",
    [
        Key.Bool<RawSlots>("restoreOnStart", Ours, false, (s, v) => s.RestoreOnStart = v,
            "after the health check, restore each slot from its file (`POST /slots/N?action=restore`)"),
        Key.Bool<RawSlots>("saveOnStop", Ours, false, (s, v) => s.SaveOnStop = v,
            "before the stop signal, save each slot to its file (`POST /slots/N?action=save`)"),
    ], unknownIsError: true);

    private static ConfigKey<RawLlamaCpp> Integer(string name, string meaning, long min, Action<RawLlamaCpp, long> set, string prefix = "") =>
        new(name, Ours, "", meaning, (at, l, v) =>
        {
            l.Nodes[prefix + name] = v;
            if (at.Reader.Integer(v, at.Path, min, int.MaxValue) is { } read)
                set(l, read);
        });

    private static ConfigKey<RawLlamaCpp> Number(string name, string meaning, Action<RawLlamaCpp, double> set, string prefix) =>
        new(name, Ours, "", meaning, (at, l, v) =>
        {
            l.Nodes[prefix + name] = v;
            if (at.Reader.Number(v, at.Path, double.MinValue) is { } read)
                set(l, read);
        });

    private static ConfigKey<RawLlamaCpp> Integer(string name, string meaning, long min, Action<RawLlamaCpp, long> set) =>
        Integer(name, meaning, min, set, "");

    private static ConfigKey<RawLlamaCpp> Flag(string name, string meaning, Action<RawLlamaCpp, bool> set) =>
        new(name, Ours, "", meaning, (at, l, v) =>
        {
            l.Nodes[name] = v;
            if (at.Reader.Bool(v, at.Path) is { } read)
                set(l, read);
        });

    private static ConfigKey<RawLlamaCpp> Word(string name, string meaning, Action<RawLlamaCpp, string> set) =>
        new(name, Ours, "", meaning, (at, l, v) =>
        {
            l.Nodes[name] = v;
            if (at.Reader.String(v, at.Path) is { } read)
                set(l, read);
        });
}
