namespace TinySwap.Router.Matrix;

/// <summary>
/// A set of masks of which none contains another: the only masks worth keeping when keeping more running models is
/// never worse (every eviction cost is positive). Sizes stay tiny, so a list scan beats any cleverer structure.
/// </summary>
internal static class MaskFrontier
{
    public static readonly UInt128[] Empty = [UInt128.Zero];

    public static bool IsSubset(UInt128 inner, UInt128 outer) => (inner & ~outer) == UInt128.Zero;

    /// <summary>Adds <paramref name="mask"/> unless a kept mask contains it; drops the kept masks it contains.</summary>
    public static void Insert(List<UInt128> frontier, UInt128 mask)
    {
        foreach (var kept in frontier)
        {
            if (IsSubset(mask, kept))
                return;
        }
        var count = 0;
        for (var i = 0; i < frontier.Count; i++)
        {
            if (!IsSubset(frontier[i], mask))
                frontier[count++] = frontier[i];
        }
        frontier.RemoveRange(count, frontier.Count - count);
        frontier.Add(mask);
    }

    /// <summary>The frontier of every union of one mask of <paramref name="left"/> and one of <paramref name="right"/>.</summary>
    public static UInt128[] Product(UInt128[] left, UInt128[] right, List<UInt128> scratch)
    {
        // [0] is the identity of union: most operands of a large product hold no relevant model.
        if (left is [var l] && l == UInt128.Zero)
            return right;
        if (right is [var r] && r == UInt128.Zero)
            return left;
        scratch.Clear();
        foreach (var a in left)
        {
            foreach (var b in right)
                Insert(scratch, a | b);
        }
        return [.. scratch];
    }
}
