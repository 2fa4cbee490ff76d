using TinySwap.Config.Matrix;
using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>A `matrix:` mapping as written (top level, llama-swap's older place, or `routing.router.settings.matrix`).</summary>
internal sealed class RawMatrix(YamlNode node, string path)
{
    public YamlNode Node { get; } = node;

    /// <summary>"matrix" or "routing.router.settings.matrix", for messages.</summary>
    public string Path { get; } = path;

    public List<(string Name, YamlNode KeyNode, Located<string> Model)> Vars { get; } = [];
    public List<(string Name, YamlNode KeyNode, long Cost)> EvictCosts { get; } = [];

    /// <summary>Each set's name, key node, value node and expression text, in the order written (the tie-break order).</summary>
    public List<(string Name, YamlNode KeyNode, Located<string> Expression)> Sets { get; } = [];
}

/// <summary>The matrix policy of a loaded config: the compiled sets and each model's eviction cost (default 1).</summary>
internal sealed record MatrixPolicy(MatrixProgram Program, IReadOnlyDictionary<string, int> EvictCosts);
