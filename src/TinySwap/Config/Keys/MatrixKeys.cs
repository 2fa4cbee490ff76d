using TinySwap.Config.Yaml;
using static TinySwap.Config.Keys.KeyOrigin;

namespace TinySwap.Config.Keys;

/// <summary>
/// llama-swap's matrix (`routing.router.use: matrix`): which models may run together, written as expressions over
/// model ids or short vars, and what losing each running model costs. Checked and compiled by
/// <see cref="ConfigValidator"/> (CheckMatrix); the policy itself is the router's MatrixPlanner.
/// </summary>
internal static class MatrixKeys
{
    public static readonly ConfigSection<RawMatrix> Section = new("routing.router.settings.matrix", "Routing: matrix",
    [
        new("vars", LlamaSwap, "", "short name → model id, usable in `sets` and `evict_costs` (letters, digits, `-` and `.`, 1 to 32 characters; a var wins over a model id of the same name)",
            (at, m, v) => ReadVars(at, m, v)),
        new("evict_costs", LlamaSwap, "", "var or model id → whole number above 0 (default 1): what losing that running model costs",
            (at, m, v) => ReadEvictCosts(at, m, v)),
        new("sets", LlamaSwap, "", "set name → which models may run together: `a & b` together, `a \\| b` either, `( )`, `+set` another set's expression (see Swap policies)",
            (at, m, v) => ReadSets(at, m, v)),
    ]);

    /// <summary>Reads a `matrix:` mapping found at <paramref name="at"/> (either of its two places).</summary>
    public static RawMatrix Read(KeyContext at, YamlNode value)
    {
        var matrix = new RawMatrix(value, at.Path);
        Section.Read(at.Reader, at.Sections, matrix, value, at.Path);
        return matrix;
    }

    private static void ReadVars(KeyContext at, RawMatrix matrix, YamlNode value)
    {
        foreach (var (name, keyNode, item) in at.Reader.Entries(value, at.Path))
        {
            if (at.Reader.String(item, NodeReader.Join(at.Path, name)) is { } model)
                matrix.Vars.Add((name, keyNode, new(model, item)));
        }
    }

    private static void ReadEvictCosts(KeyContext at, RawMatrix matrix, YamlNode value)
    {
        foreach (var (name, keyNode, item) in at.Reader.Entries(value, at.Path))
        {
            var path = NodeReader.Join(at.Path, name);
            if (at.Reader.Integer(item, path, long.MinValue) is not { } cost)
                continue;
            if (cost is < 1 or > int.MaxValue)
                at.Diagnostics.Error(item, $"{path}: a cost is a whole number of at least 1, got {cost}");
            else
                matrix.EvictCosts.Add((name, keyNode, cost));
        }
    }

    private static void ReadSets(KeyContext at, RawMatrix matrix, YamlNode value)
    {
        foreach (var (name, keyNode, item) in at.Reader.Entries(value, at.Path))
        {
            // An empty value is kept: the compiler reports it at the set, with the other mistakes.
            var expression = item.IsNull ? "" : at.Reader.String(item, NodeReader.Join(at.Path, name));
            if (expression is not null)
                matrix.Sets.Add((name, keyNode, new(expression, item)));
        }
    }
}
