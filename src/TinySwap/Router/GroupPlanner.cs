using TinySwap.Config;

namespace TinySwap.Router;

/// <summary>
/// llama-swap's groups. Within the target's group, `swap: true` lets only one member run (siblings go);
/// `exclusive: true` on the target's group stops every model of other groups unless that group is `persistent`.
/// Models named by no group form the default group, with swap and exclusive on, as llama-swap does.
/// (Like llama-swap, loading a model of a non-exclusive group leaves exclusive groups running.)
/// </summary>
internal sealed class GroupPlanner : ISwapPlanner
{
    public const string DefaultGroupId = "(default)";

    private static readonly GroupConfig ImplicitDefault = new() { Id = DefaultGroupId, Swap = true, Exclusive = true };

    private readonly Dictionary<string, GroupConfig> _groupOf = new(StringComparer.Ordinal);
    private readonly GroupConfig _default;

    public GroupPlanner(TinySwapConfig config)
    {
        _default = ImplicitDefault;
        foreach (var group in config.Groups)
        {
            if (group.Id == DefaultGroupId)
                _default = group;
            foreach (var member in group.Members)
                _groupOf.TryAdd(member, group);
        }
    }

    public void PlanEvictions(IPlannedModel target, IReadOnlyList<IPlannedModel> running, List<IPlannedModel> evict)
    {
        var targetGroup = GroupOf(target.Config.Id);
        for (var i = 0; i < running.Count; i++)
        {
            var other = running[i];
            var otherGroup = GroupOf(other.Config.Id);
            var mustGo = ReferenceEquals(otherGroup, targetGroup)
                ? targetGroup.Swap
                : targetGroup.Exclusive && !otherGroup.Persistent;
            if (mustGo)
                evict.Add(other);
        }
    }

    // Ungrouped models, and a model a reload removed that still runs until it is retired, belong to the default group.
    private GroupConfig GroupOf(string modelId) => _groupOf.TryGetValue(modelId, out var group) ? group : _default;
}
