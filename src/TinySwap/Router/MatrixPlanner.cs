using TinySwap.Contracts;
using TinySwap.Router.Matrix;

namespace TinySwap.Router;

/// <summary>
/// llama-swap's matrix: the running models the cheapest allowed combination holding the target leaves out must go
/// (<see cref="MatrixSolver"/>). A target that is up or coming up evicts nothing, as in llama-swap: its place was
/// decided when it started.
/// </summary>
internal sealed class MatrixPlanner(MatrixSolver solver) : ISwapPlanner
{
    private readonly List<string> _runningIds = [];

    public void PlanEvictions(IPlannedModel target, IReadOnlyList<IPlannedModel> running, List<IPlannedModel> evict)
    {
        if (target.State is ModelState.Ready or ModelState.Starting)
            return;
        _runningIds.Clear();
        for (var i = 0; i < running.Count; i++)
            _runningIds.Add(running[i].Config.Id);
        var decision = solver.Solve(target.Config.Id, _runningIds);

        // The decision lists its evictions in the order of the running list it was given.
        var next = 0;
        for (var i = 0; i < running.Count && next < decision.Evict.Count; i++)
        {
            if (running[i].Config.Id == decision.Evict[next])
            {
                evict.Add(running[i]);
                next++;
            }
        }
    }
}
