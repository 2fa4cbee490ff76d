namespace TinySwap.LlamaCpp.Gguf;

/// <summary>Per tensor only what the estimate needs: which layer it belongs to, where its data starts, its type and size.</summary>
internal sealed class GgufTensors
{
    /// <summary>Layer index of tensors outside the repeating blocks that llama.cpp keeps on the CPU (token embeddings).</summary>
    public const int Input = -2;

    /// <summary>Layer index of the other non-block tensors (output norm and head), offloaded with the last layer.</summary>
    public const int Output = -1;

    private readonly List<(int Layer, long Offset)> _entries = [];
    private readonly long[] _elementsByType = new long[256];

    public int Count => _entries.Count;
    public long Parameters { get; private set; }
    public IReadOnlyList<(int Layer, long Offset)> Entries => _entries;

    public void Add(int layer, long elements, uint type, long offset)
    {
        _entries.Add((layer, offset));
        _elementsByType[type] += elements;
        Parameters += elements;
    }

    /// <summary>The tensor type holding the most elements, or null without tensors.</summary>
    public uint? DominantType()
    {
        uint? best = null;
        for (uint type = 0; type < _elementsByType.Length; type++)
        {
            if (_elementsByType[type] > 0 && (best is null || _elementsByType[type] > _elementsByType[best.Value]))
                best = type;
        }
        return best;
    }

    /// <summary>`blk.N.…` → N; token, position and type embeddings → <see cref="Input"/>; anything else → <see cref="Output"/>.</summary>
    public static int LayerOf(string name)
    {
        if (name.StartsWith("blk.", StringComparison.Ordinal))
        {
            var end = name.IndexOf('.', 4);
            if (end > 4 && int.TryParse(name.AsSpan(4, end - 4), System.Globalization.NumberStyles.None, null, out var layer))
                return layer;
        }
        return name.StartsWith("token_embd", StringComparison.Ordinal) || name.StartsWith("per_layer_token_embd", StringComparison.Ordinal)
            || name.StartsWith("position_embd", StringComparison.Ordinal) || name.StartsWith("token_types", StringComparison.Ordinal)
            ? Input
            : Output;
    }
}
