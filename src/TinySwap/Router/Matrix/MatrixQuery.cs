using TinySwap.Config.Matrix;

namespace TinySwap.Router.Matrix;

/// <summary>
/// One solve: the program's expressions seen only through the models that matter to this request, the target and the
/// running models, each given one bit. Every combination of a node collapses to the mask of relevant models it holds;
/// a node keeps only its maximal masks (its frontier), memoised, so the work grows with the distinct masks, not with
/// the combinations written: ten groups of ten alternatives are a handful of masks.
/// </summary>
internal sealed class MatrixQuery
{
    public const int TargetBit = 0;

    /// <summary>One bit per relevant model in a 128-bit mask: the target and up to 127 running models.</summary>
    public const int MaxRelevant = 128;

    private readonly MatrixProgram _program;
    private readonly ulong[] _relevant;
    private readonly int[] _bitOfModel;
    private readonly int[] _modelOfBit = new int[MaxRelevant];
    private readonly int[] _costOfBit = new int[MaxRelevant];
    private readonly UInt128[]?[] _frontiers;
    private readonly UInt128[][]?[] _suffixes;
    private readonly List<UInt128> _scratch = [];
    private int _count;
    private int _budget;

    /// <summary>Buffers sized for <paramref name="program"/>, reused by every <see cref="Begin"/>.</summary>
    public MatrixQuery(MatrixProgram program)
    {
        _program = program;
        _relevant = new ulong[program.SupportWords];
        _bitOfModel = new int[program.Models.Count];
        Array.Fill(_bitOfModel, -1);
        _frontiers = new UInt128[]?[program.Nodes.Count];
        _suffixes = new UInt128[][]?[program.Nodes.Count];
    }

    /// <summary>Forgets the previous request and starts one for <paramref name="targetModel"/> (a program model index).</summary>
    public void Begin(int targetModel)
    {
        for (var bit = 0; bit < _count; bit++)
            _bitOfModel[_modelOfBit[bit]] = -1;
        Array.Clear(_relevant);
        Array.Clear(_frontiers);
        Array.Clear(_suffixes);
        _count = 0;
        Add(targetModel, 0);
    }

    /// <summary>Gives a running model the next bit; false when there is no bit left (it then counts as outside).</summary>
    public bool AddRunning(int model, int cost)
    {
        if (_bitOfModel[model] >= 0)
            return true;
        if (_count == MaxRelevant)
            return false;
        Add(model, cost);
        return true;
    }

    /// <summary>The model's bit, or -1 when it is not relevant to this request.</summary>
    public int BitOf(int model) => _bitOfModel[model];

    /// <summary>Every running bit: bits 1 to n.</summary>
    public UInt128 RunningMask => ((UInt128.One << (_count - 1)) - UInt128.One) << 1;

    private void Add(int model, int cost)
    {
        _bitOfModel[model] = _count;
        _modelOfBit[_count] = model;
        _costOfBit[_count] = cost;
        _relevant[model >> 6] |= 1UL << (model & 63);
        _count++;
    }

    /// <summary>Sum of the eviction costs of the running models a combination with this mask leaves out.</summary>
    public int CostOf(UInt128 mask)
    {
        var evicted = RunningMask & ~mask;
        var cost = 0;
        while (evicted != UInt128.Zero)
        {
            cost += _costOfBit[(int)UInt128.TrailingZeroCount(evicted)];
            evicted &= evicted - UInt128.One;
        }
        return cost;
    }

    /// <summary>The maximal relevant masks over every combination of <paramref name="node"/>.</summary>
    public UInt128[] Frontier(int node)
    {
        if (_frontiers[node] is { } known)
            return known;
        var current = _program.Nodes[node];
        UInt128[] frontier;
        if (!Touches(current.Support))
        {
            frontier = MaskFrontier.Empty;
        }
        else if (current.Kind == MatrixNodeKind.Model)
        {
            frontier = [UInt128.One << _bitOfModel[current.Model]];
        }
        else if (current.Kind == MatrixNodeKind.AllOf)
        {
            frontier = Suffixes(node)[0];
        }
        else
        {
            var merged = new List<UInt128>();
            foreach (var child in current.Children)
            {
                foreach (var mask in Frontier(child))
                    MaskFrontier.Insert(merged, mask);
            }
            frontier = [.. merged];
        }
        _frontiers[node] = frontier;
        return frontier;
    }

    /// <summary>
    /// The first combination of <paramref name="node"/>, in the order the expressions are written, that holds the
    /// target and costs at most <paramref name="budget"/> (the best cost, found from the frontiers: so one exists).
    /// Each node is asked with a context: the masks the rest of the expression can still add to its choice. Its models
    /// are appended to <paramref name="models"/>; returns its mask.
    /// </summary>
    public UInt128 FirstWithin(int node, int budget, List<int> models)
    {
        _budget = budget;
        return First(node, [UInt128.Zero], models);
    }

    private UInt128 First(int node, UInt128[] context, List<int> models)
    {
        var current = _program.Nodes[node];
        switch (current.Kind)
        {
            case MatrixNodeKind.Model:
                models.Add(current.Model);
                return _bitOfModel[current.Model] is var bit and >= 0 ? UInt128.One << bit : UInt128.Zero;
            case MatrixNodeKind.AnyOf:
                // The first alternative that can be completed well: a mask below a maximal one is never needed to
                // decide, since a bigger mask is always at least as good.
                foreach (var child in current.Children)
                {
                    if (AnyAcceptable(Frontier(child), context))
                        return First(child, context, models);
                }
                // Unreachable while the frontiers are right (the property test compares with full expansion); the
                // router loop must not die of it, so take the first alternative rather than throw.
                System.Diagnostics.Debug.Fail("matrix solver: no alternative fits the budget it was computed from");
                return First(current.Children[0], context, models);
            default:
            {
                // Operands in order: each takes its first combination that the operands after it can still complete.
                var suffixes = Suffixes(node);
                var chosen = UInt128.Zero;
                for (var i = 0; i < current.Children.Length; i++)
                {
                    var rest = MaskFrontier.Product(suffixes[i + 1], context, _scratch);
                    var withChosen = chosen == UInt128.Zero ? rest : MaskFrontier.Product(rest, [chosen], _scratch);
                    chosen |= First(current.Children[i], withChosen, models);
                }
                return chosen;
            }
        }
    }

    private bool AnyAcceptable(UInt128[] masks, UInt128[] context)
    {
        foreach (var mask in masks)
        {
            foreach (var other in context)
            {
                var union = mask | other;
                if ((union & (UInt128.One << TargetBit)) != UInt128.Zero && CostOf(union) <= _budget)
                    return true;
            }
        }
        return false;
    }

    // suffixes[i] is the frontier of operands i.. of an `&` node; suffixes[n] is the empty combination.
    private UInt128[][] Suffixes(int node)
    {
        if (_suffixes[node] is { } known)
            return known;
        var children = _program.Nodes[node].Children;
        var suffixes = new UInt128[children.Length + 1][];
        suffixes[children.Length] = MaskFrontier.Empty;
        for (var i = children.Length - 1; i >= 0; i--)
            suffixes[i] = MaskFrontier.Product(Frontier(children[i]), suffixes[i + 1], _scratch);
        _suffixes[node] = suffixes;
        return suffixes;
    }

    private bool Touches(ulong[] support)
    {
        for (var w = 0; w < support.Length; w++)
        {
            if ((support[w] & _relevant[w]) != 0)
                return true;
        }
        return false;
    }
}
