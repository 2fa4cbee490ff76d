namespace TinySwap.Config.Matrix;

/// <summary>
/// Whether some combination of one matrix set holds every given model at once (llama-swap's CanContainAll, used to
/// check that a spillover selector's local targets can run side by side). Projects each node onto the given models
/// only: a node's value is the set of maximal masks over them, so `&amp;` of ten `|` groups is never expanded.
/// </summary>
internal static class MatrixCoexistence
{
    /// <summary>At most this many distinct models are checked (one bit each).</summary>
    public const int MaxModels = 64;

    public static bool CanContainAll(MatrixProgram program, IReadOnlyList<string> models)
    {
        var bitOf = new Dictionary<int, int>();
        foreach (var model in models)
        {
            var index = IndexOf(program, model);
            if (index < 0)
                return false;   // named by no set: it can only run alone
            bitOf.TryAdd(index, bitOf.Count);
        }
        if (bitOf.Count <= 1)
            return true;
        if (bitOf.Count > MaxModels)
            return false;
        var required = bitOf.Count == 64 ? ulong.MaxValue : (1UL << bitOf.Count) - 1;
        var memo = new Dictionary<int, List<ulong>>();
        foreach (var set in program.Sets)
        {
            foreach (var mask in Masks(program, set.Root, bitOf, memo))
            {
                if ((mask & required) == required)
                    return true;
            }
        }
        return false;
    }

    private static int IndexOf(MatrixProgram program, string model)
    {
        for (var i = 0; i < program.Models.Count; i++)
        {
            if (program.Models[i] == model)
                return i;
        }
        return -1;
    }

    // The maximal masks a node allows: a model is its own bit (or nothing), all-of is every union of one mask per
    // child, any-of is the masks of every child. Memoised per node, since `+set` shares subgraphs.
    private static List<ulong> Masks(MatrixProgram program, int node, Dictionary<int, int> bitOf, Dictionary<int, List<ulong>> memo)
    {
        if (memo.TryGetValue(node, out var known))
            return known;
        var n = program.Nodes[node];
        List<ulong> result;
        switch (n.Kind)
        {
            case MatrixNodeKind.Model:
                result = [bitOf.TryGetValue(n.Model, out var bit) ? 1UL << bit : 0];
                break;
            case MatrixNodeKind.AllOf:
                result = [0];
                foreach (var child in n.Children)
                {
                    var product = new List<ulong>();
                    foreach (var left in result)
                    {
                        foreach (var right in Masks(program, child, bitOf, memo))
                            Insert(product, left | right);
                    }
                    result = product;
                }
                break;
            default:
                result = [];
                foreach (var child in n.Children)
                {
                    foreach (var mask in Masks(program, child, bitOf, memo))
                        Insert(result, mask);
                }
                break;
        }
        memo[node] = result;
        return result;
    }

    // Keeps only masks no other contains: a superset allows everything its subsets allow.
    private static void Insert(List<ulong> masks, ulong mask)
    {
        foreach (var kept in masks)
        {
            if ((mask & ~kept) == 0)
                return;
        }
        masks.RemoveAll(kept => (kept & ~mask) == 0);
        masks.Add(mask);
    }
}
