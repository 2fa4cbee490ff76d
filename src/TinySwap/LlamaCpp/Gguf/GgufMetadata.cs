namespace TinySwap.LlamaCpp.Gguf;

/// <summary>
/// The few metadata values the facts need, kept while the rest streams past. Architecture keys are kept by suffix
/// because `general.architecture` need not come first; they are resolved against it at the end.
/// </summary>
internal sealed class GgufMetadata(int maxLayers)
{
    private static readonly string[] IntegerSuffixes =
    [
        ".context_length", ".block_count", ".embedding_length", ".vocab_size",
        ".attention.head_count", ".attention.head_count_kv", ".attention.key_length", ".attention.value_length",
    ];

    private const int MaxKept = 256;

    public Dictionary<string, long> Integers { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long[]> IntegerArrays { get; } = new(StringComparer.Ordinal);
    public string? Architecture { get; set; }
    public string? Name { get; set; }
    public long? TokenCount { get; set; }
    public int MaxLayers { get; } = maxLayers;

    public static bool IsWantedString(string key) => key is "general.architecture" or "general.name";

    public bool IsWantedInteger(string key) =>
        Integers.Count < MaxKept && (key is "general.file_type" or "general.alignment" || EndsWithAny(key));

    /// <summary>Per-layer arrays worth keeping: head_count_kv (hybrid models use 0 for layers without attention).</summary>
    public bool IsWantedArray(string key) =>
        IntegerArrays.Count < MaxKept && (key.EndsWith(".attention.head_count_kv", StringComparison.Ordinal) || key.EndsWith(".attention.head_count", StringComparison.Ordinal));

    public long? Integer(string key) => Integers.TryGetValue(key, out var value) ? value : null;
    public long? ArchitectureInteger(string suffix) => Architecture is null ? null : Integer(Architecture + suffix);

    private static bool EndsWithAny(string key)
    {
        foreach (var suffix in IntegerSuffixes)
        {
            if (key.EndsWith(suffix, StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
