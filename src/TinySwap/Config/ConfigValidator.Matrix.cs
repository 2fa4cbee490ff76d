using TinySwap.Config.Matrix;
using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>The matrix policy: where it may be written (llama-swap's rules), its vars, costs and sets, compiled.</summary>
internal sealed partial class ConfigValidator
{
    // The node that chose the matrix (`use: matrix` or a top-level `matrix:`); null when another policy applies.
    private YamlNode? _matrixChosenBy;

    /// <summary>The compiled matrix when the config chooses it, else null. Every mistake is reported at its place.</summary>
    public MatrixPolicy? CheckMatrix(string[] sourceLines)
    {
        if (ChooseMatrix() is not { } matrix)
            return null;
        var path = matrix.Path;
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, keyNode, model) in matrix.Vars)
        {
            if (!IsVarName(name))
                diagnostics.Error(keyNode, $"{path}.vars: '{name}' must be 1 to 32 letters, digits, '-' or '.'");
            else if (!_ids.Contains(model.Value))
                diagnostics.Error(model.Node, $"{path}.vars.{name}: {UnknownModel(model.Value)}");
            else
                vars[name] = model.Value;
        }

        string? Resolve(string name) => vars.TryGetValue(name, out var model) ? model : _ids.Contains(name) ? name : null;
        var names = vars.Keys.Concat(_ids).ToList();

        var costs = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, keyNode, cost) in matrix.EvictCosts)
        {
            if (Resolve(name) is { } model)
                costs[model] = (int)cost;
            else
                diagnostics.Error(keyNode, $"{path}.evict_costs: '{name}' is neither a var nor a model id{KeySuggestion.Hint(name, names)}");
        }

        var errors = new List<MatrixError>();
        var program = MatrixCompiler.Compile(matrix.Sets.ConvertAll(set => new MatrixSetDefinition(set.Name, set.Expression.Value)), Resolve, names, errors);
        foreach (var error in errors)
            diagnostics.Error(Locate(matrix, error, sourceLines), $"{path}.sets: {error.Message}");
        return program is null ? null : new MatrixPolicy(program, costs);
    }

    // llama-swap: a top-level `matrix:` or `routing.router`, never both; `use: matrix` needs the settings; a matrix
    // under routing with another `use` is not used (said in a warning here).
    private RawMatrix? ChooseMatrix()
    {
        var (top, routing, use) = (config.TopLevelMatrix, config.RoutingMatrix, config.RouterUse);
        if (top is not null)
        {
            if (use is not null || routing is not null || config.GroupsInRouting)
            {
                diagnostics.Error(top.Node, "matrix: the top-level `matrix` (llama-swap's older place) cannot be combined with `routing.router`; move it to routing.router.settings.matrix");
                return null;
            }
            _matrixChosenBy = top.Node;
            return top;
        }
        if (use is { Value: "matrix" } chosen)
        {
            if (routing is null)
            {
                diagnostics.Error(chosen.Node, "routing.router.use: `matrix` needs routing.router.settings.matrix (vars, evict_costs, sets)");
                return null;
            }
            _matrixChosenBy = chosen.Node;
            return routing;
        }
        if (routing is not null)
            diagnostics.Warning(routing.Node, "routing.router.settings.matrix: not used, as routing.router.use is not `matrix`; groups decide evictions");
        return null;
    }

    // A column inside the expression becomes a file position where the scalar's style allows it (plain, quoted, `|`).
    private static SourcePosition Locate(RawMatrix matrix, MatrixError error, string[] sourceLines)
    {
        if (error.SetIndex < 0)
            return matrix.Node.Position;
        var (_, keyNode, expression) = matrix.Sets[error.SetIndex];
        if (error.Column == 0)
            return keyNode.Position;
        var text = expression.Value;
        if (text != expression.Node.Text)
            return expression.Node.Position; // ${env.X} changed the text: columns no longer match the file
        var offset = Math.Min(error.Column - 1, text.Length);
        var lineStart = text.LastIndexOf('\n', Math.Max(offset - 1, 0)) + 1;
        var line = 1 + text.AsSpan(0, lineStart).Count('\n');
        return ScalarPosition.Locate(expression.Node, sourceLines, line, offset - lineStart + 1) ?? expression.Node.Position;
    }

    // llama-swap's var names: ^[a-zA-Z0-9.-]{1,32}$.
    private static bool IsVarName(string name)
    {
        if (name.Length is 0 or > 32)
            return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
                return false;
        }
        return true;
    }
}
