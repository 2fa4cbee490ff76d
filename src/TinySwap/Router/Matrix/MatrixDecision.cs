namespace TinySwap.Router.Matrix;

/// <summary>
/// What the matrix solver decided for one request: the running models to evict (in the order they were given), the
/// combination chosen (model ids, for logs), the set it comes from, and the total eviction cost.
/// </summary>
internal sealed record MatrixDecision(IReadOnlyList<string> Evict, IReadOnlyList<string> Combination, string? SetName, string? Expression, int Cost)
{
    public static MatrixDecision NothingToEvict { get; } = new([], [], null, null, 0);
}
