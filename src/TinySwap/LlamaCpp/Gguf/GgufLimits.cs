namespace TinySwap.LlamaCpp.Gguf;

/// <summary>
/// What a GGUF header may claim before the reader refuses it. Real files stay far below each (a 671B model has ~1,100
/// tensors and ~50 metadata keys; the largest tokenizer arrays are a few MB), so a count above these is a hostile or
/// corrupt file, refused before a loop or allocation sized by it starts.
/// </summary>
internal sealed record GgufLimits
{
    public static readonly GgufLimits Default = new();

    public long MaxTensorCount { get; init; } = 65_536;
    public long MaxMetadataCount { get; init; } = 65_536;

    /// <summary>The format caps keys at 65,535 bytes; real keys are under 100.</summary>
    public int MaxKeyBytes { get; init; } = 4_096;

    /// <summary>Arrays of arrays are legal; deeper than this is not a model.</summary>
    public int MaxArrayDepth { get; init; } = 4;

    /// <summary>Header bytes (metadata and tensor infos) read before giving up; the tensors themselves are never read.</summary>
    public long MaxHeaderBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>A single string or array payload when the stream's length is unknown (a known length bounds it better).</summary>
    public long MaxValueBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Per-layer arrays (e.g. head_count_kv on hybrid models) kept up to this many entries.</summary>
    public int MaxLayers { get; init; } = 4_096;
}
