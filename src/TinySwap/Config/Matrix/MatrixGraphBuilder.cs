namespace TinySwap.Config.Matrix;

/// <summary>
/// Builds the node graph of checked expressions: one node per model, shared; a node per `&amp;` and `|`; a reference
/// links to the referenced set's root. Sets are built in solve order, so a referenced root always exists already.
/// </summary>
internal sealed class MatrixGraphBuilder(List<string> models, Dictionary<string, int> modelIndex)
{
    private readonly List<MatrixNode> _nodes = [];
    private readonly Dictionary<int, int> _modelNodes = [];
    private readonly Dictionary<string, int> _roots = new(StringComparer.Ordinal);
    private readonly int _words = (models.Count + 63) / 64;

    /// <param name="resolve">Each name's model id; every name was checked to resolve.</param>
    public MatrixProgram Build(IReadOnlyList<MatrixSetDefinition> definitions, MatrixExpression[] parsed, List<int> order, Func<string, string?> resolve)
    {
        var sets = new MatrixCompiledSet[order.Count];
        for (var i = 0; i < order.Count; i++)
        {
            var definition = definitions[order[i]];
            var root = Add(parsed[order[i]], resolve);
            _roots[definition.Name] = root;
            sets[i] = new(definition.Name, definition.Expression, root);
        }
        return new MatrixProgram(models, _nodes, sets);
    }

    private int Add(MatrixExpression expression, Func<string, string?> resolve) => expression switch
    {
        MatrixName name => ModelNode(modelIndex[resolve(name.Name)!]),
        MatrixReference reference => _roots[reference.SetName],
        MatrixAllOf all => Combine(MatrixNodeKind.AllOf, all.Operands, resolve),
        MatrixAnyOf any => Combine(MatrixNodeKind.AnyOf, any.Alternatives, resolve),
        _ => throw new InvalidOperationException($"unknown matrix expression {expression.GetType().Name}"),
    };

    private int ModelNode(int model)
    {
        if (_modelNodes.TryGetValue(model, out var existing))
            return existing;
        var support = new ulong[_words];
        support[model >> 6] |= 1UL << (model & 63);
        _modelNodes[model] = _nodes.Count;
        _nodes.Add(new(MatrixNodeKind.Model, model, [], support));
        return _nodes.Count - 1;
    }

    private int Combine(MatrixNodeKind kind, IReadOnlyList<MatrixExpression> operands, Func<string, string?> resolve)
    {
        var children = new int[operands.Count];
        var support = new ulong[_words];
        for (var i = 0; i < children.Length; i++)
        {
            children[i] = Add(operands[i], resolve);
            var childSupport = _nodes[children[i]].Support;
            for (var w = 0; w < support.Length; w++)
                support[w] |= childSupport[w];
        }
        _nodes.Add(new(kind, -1, children, support));
        return _nodes.Count - 1;
    }
}
