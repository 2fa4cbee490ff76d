using TinySwap.Config.Matrix;

namespace TinySwap.Router.Matrix;

/// <summary>
/// Decides what a request must evict under llama-swap's matrix: among the combinations of every set that hold the
/// requested model, the one leaving out the running models of least total eviction cost; on a tie, the first combination
/// in set order and then in the order the expression writes them. A combination is an allowance, not a plan: the running
/// models it holds may stay, nothing else is started. Pure and read-only; safe to call from any thread.
/// </summary>
internal sealed class MatrixSolver
{
    private readonly MatrixProgram _program;
    private readonly Dictionary<string, int> _modelIndex = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, int> _evictCosts;

    // The buffers of one solve, kept for the next; a concurrent solve takes a fresh set instead of waiting.
    private MatrixQuery? _spare;

    /// <param name="evictCosts">Eviction cost per model id, positive; a model not listed costs 1.</param>
    public MatrixSolver(MatrixProgram program, IReadOnlyDictionary<string, int> evictCosts)
    {
        _program = program;
        _evictCosts = evictCosts;
        for (var i = 0; i < program.Models.Count; i++)
            _modelIndex[program.Models[i]] = i;
    }

    public int CostOf(string model) => _evictCosts.TryGetValue(model, out var cost) ? cost : 1;

    public MatrixDecision Solve(string target, IReadOnlyList<string> running)
    {
        for (var i = 0; i < running.Count; i++)
        {
            if (running[i] == target)
                return MatrixDecision.NothingToEvict;
        }
        if (!_modelIndex.TryGetValue(target, out var targetModel))
            return EvictAll(target, running);

        var query = Interlocked.Exchange(ref _spare, null) ?? new MatrixQuery(_program);
        try
        {
            return Solve(query, target, targetModel, running);
        }
        finally
        {
            Volatile.Write(ref _spare, query);
        }
    }

    private MatrixDecision Solve(MatrixQuery query, string target, int targetModel, IReadOnlyList<string> running)
    {
        // Bit 0 is the target; each running model of the matrix gets the next bit. A running model outside every set
        // fits no combination and always goes. Beyond 127 running models (no real host) the rest are treated so too:
        // the decision stays safe, only less thrifty.
        query.Begin(targetModel);
        var outsideCost = 0;
        for (var i = 0; i < running.Count; i++)
        {
            var model = running[i];
            if (!_modelIndex.TryGetValue(model, out var index) || !query.AddRunning(index, CostOf(model)))
                outsideCost += CostOf(model);
        }

        var best = int.MaxValue;
        MatrixCompiledSet? bestSet = null;
        foreach (var set in _program.Sets)
        {
            if (!MatrixProgram.Contains(_program.Nodes[set.Root].Support, targetModel))
                continue;
            foreach (var mask in query.Frontier(set.Root))
            {
                if ((mask & UInt128.One) == UInt128.Zero)
                    continue;
                var cost = query.CostOf(mask);
                if (cost < best)
                {
                    best = cost;
                    bestSet = set;
                }
            }
        }
        if (bestSet is null)
            return EvictAll(target, running);

        var models = new List<int>();
        var kept = query.FirstWithin(bestSet.Root, best, models);
        var evict = new List<string>();
        for (var i = 0; i < running.Count; i++)
        {
            var model = running[i];
            var bit = _modelIndex.TryGetValue(model, out var index) ? query.BitOf(index) : -1;
            if (bit < 0 || (kept & (UInt128.One << bit)) == UInt128.Zero)
                evict.Add(model);
        }
        return new MatrixDecision(evict, Distinct(models), bestSet.Name, bestSet.Expression, best + outsideCost);
    }

    // A model named by no set can only run on its own (llama-swap's rule).
    private MatrixDecision EvictAll(string target, IReadOnlyList<string> running)
    {
        var cost = 0;
        foreach (var model in running)
            cost += CostOf(model);
        return new MatrixDecision([.. running], [target], null, null, cost);
    }

    private List<string> Distinct(List<int> models)
    {
        var seen = new HashSet<int>();
        var ids = new List<string>(models.Count);
        foreach (var model in models)
        {
            if (seen.Add(model))
                ids.Add(_program.Models[model]);
        }
        return ids;
    }
}
