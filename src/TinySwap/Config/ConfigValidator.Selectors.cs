using System.Collections.Immutable;
using TinySwap.Config.Macros;
using TinySwap.Config.Matrix;

namespace TinySwap.Config;

/// <summary>Selectors: their ids, strategies and targets, checked as llama-swap's validateSelectors checks them.</summary>
internal sealed partial class ConfigValidator
{
    /// <summary>
    /// Every selector whose settings are right. A selector id is no model id, alias or `peer/model`; a target is a
    /// model id, alias or peer model and never a selector; warm targets are local; spillover needs `spillover` ≥ 1,
    /// no two targets resolving to one model, and local targets that the swap policy lets run together.
    /// Runs after <see cref="CheckNames"/>, <see cref="CheckGroups"/>, <see cref="CheckMatrix"/> and the budgets.
    /// </summary>
    public ImmutableArray<SelectorConfig> CheckSelectors(ModelBuilder builder, MacroScope globals, MatrixPolicy? matrix,
        ImmutableArray<GroupConfig> groups, IReadOnlyDictionary<string, long> budgets)
    {
        var selectorIds = new HashSet<string>(config.Selectors.ConvertAll(s => s.Id), StringComparer.Ordinal);
        var result = new List<SelectorConfig>();
        foreach (var selector in config.Selectors)
        {
            var errorsBefore = diagnostics.ErrorCount;
            var path = $"selectors.{selector.Id}";
            CheckSelectorId(selector, path);
            var strategy = CheckStrategy(selector, path);
            if (selector.Targets.Count == 0)
                diagnostics.Error(selector.TargetsNode ?? selector.KeyNode, $"{path}.targets must list at least one model id, alias or peer model");

            var targets = ImmutableArray.CreateBuilder<SelectorTarget>();
            for (var i = 0; i < selector.Targets.Count; i++)
            {
                var (written, node) = selector.Targets[i];
                var at = $"{path}.targets[{i}]";
                var name = builder.Expander.Expand(written, globals, node, at);
                if (selectorIds.Contains(name))
                    diagnostics.Error(node, $"{at}: '{name}' is a selector; a selector cannot target another selector");
                else if (ResolveTarget(name) is not { } target)
                    diagnostics.Error(node, $"{at}: no model, alias or peer model '{name}'{KeySuggestion.Hint(name, [.. _ids, .. _aliasOwners.Keys])}");
                else if (strategy == SelectorStrategy.Warm && !target.IsLocal)
                    diagnostics.Error(node, $"{at}: '{name}' is a peer model; warm chooses by which local models are running, so its targets must be local");
                else
                    targets.Add(target);
            }

            var spillover = (int)Keys.SelectorKeys.Spillover.Default;
            if (strategy == SelectorStrategy.Spillover)
            {
                spillover = CheckSpillover(selector, path);
                CheckSpilloverTargets(selector, path, targets, matrix, groups, budgets);
            }

            var metadata = selector.Metadata is { } metadataNode ? builder.Json.ToJson(metadataNode, globals, path + ".metadata") : null;
            if (diagnostics.ErrorCount != errorsBefore || strategy is not { } chosen)
                continue;
            result.Add(new SelectorConfig
            {
                Id = selector.Id,
                Strategy = chosen,
                Targets = targets.ToImmutable(),
                Spillover = spillover,
                Name = selector.Name is { } n ? builder.Expander.Expand(n.Value, globals, n.Node, path + ".name") : null,
                Description = selector.Description is { } d ? builder.Expander.Expand(d.Value, globals, d.Node, path + ".description") : null,
                Unlisted = selector.Unlisted,
                MetadataJson = metadata,
            });
        }
        return [.. StableSort.ByOrdinal(result, s => s.Id)];
    }

    private void CheckSelectorId(RawSelector selector, string path)
    {
        var id = selector.Id;
        if (id.Trim().Length == 0)
            diagnostics.Error(selector.KeyNode, "selectors: a selector id cannot be empty");
        else if (_ids.Contains(id))
            diagnostics.Error(selector.KeyNode, $"{path}: '{id}' is also the id of model '{id}'; requests could not tell them apart");
        else if (_aliasOwners.TryGetValue(id, out var owner))
            diagnostics.Error(selector.KeyNode, $"{path}: '{id}' is also an alias of model '{owner}'; requests could not tell them apart");
        else if (FindPeerModel(id, qualifiedOnly: true) is { } peer)
            diagnostics.Error(selector.KeyNode, $"{path}: '{id}' is also the name of peer '{peer.Peer}''s model '{peer.Model}'");
    }

    private SelectorStrategy? CheckStrategy(RawSelector selector, string path)
    {
        if (selector.Strategy is not { } written)
        {
            diagnostics.Error(selector.KeyNode, $"{path}.strategy is required: warm, pin or spillover");
            return null;
        }
        var index = SelectorConfig.StrategyNames.IndexOf(written.Value);
        if (index >= 0)
            return (SelectorStrategy)index;
        diagnostics.Error(written.Node,
            $"{path}.strategy: unknown strategy '{written.Value}' (warm, pin or spillover){KeySuggestion.Hint(written.Value, SelectorConfig.StrategyNames)}");
        return null;
    }

    private int CheckSpillover(RawSelector selector, string path)
    {
        if (selector.Spillover is not { } written)
            return (int)Keys.SelectorKeys.Spillover.Default;
        if (written.Value is >= 1 and <= int.MaxValue)
            return (int)written.Value;
        diagnostics.Error(written.Node, $"{path}.settings.spillover must be at least 1 (requests per active target), got {written.Value}");
        return (int)Keys.SelectorKeys.Spillover.Default;
    }

    // Spillover sends requests to several targets at once: two names for one model would count it twice, and local
    // targets the swap policy cannot run side by side would evict each other instead of sharing the load.
    private void CheckSpilloverTargets(RawSelector selector, string path, ImmutableArray<SelectorTarget>.Builder targets,
        MatrixPolicy? matrix, ImmutableArray<GroupConfig> groups, IReadOnlyDictionary<string, long> budgets)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var local = new List<string>();
        foreach (var target in targets)
        {
            if (!seen.Add(target.ResolvedId))
            {
                var node = selector.Targets.Find(t => t.Value == target.Name).Node;
                diagnostics.Error(node, $"{path}.targets: '{target.Name}' is '{target.ResolvedId}' again; each spillover target must be a different model");
            }
            else if (target.ModelId is { } id)
                local.Add(id);
        }
        if (local.Count > 1 && CoexistenceProblem(local, matrix, groups, budgets) is { } problem)
            diagnostics.Error(selector.TargetsNode ?? selector.KeyNode, $"{path}: spillover targets {string.Join(", ", local.ConvertAll(l => $"'{l}'"))} {problem}");
    }

    /// <summary>Why the swap policy cannot run <paramref name="models"/> together, or null when it can.</summary>
    private string? CoexistenceProblem(List<string> models, MatrixPolicy? matrix, ImmutableArray<GroupConfig> groups, IReadOnlyDictionary<string, long> budgets)
    {
        if (matrix is not null)
            return MatrixCoexistence.CanContainAll(matrix.Program, models) ? null : "must all appear together in one matrix set";
        if (budgets.Count > 0)
        {
            foreach (var (budget, amount) in budgets)
            {
                long needed = 0;
                foreach (var model in models)
                    needed += built.TryGetValue(model, out var m) ? m.Resources.GetValueOrDefault(budget) : 0;
                if (needed > amount)
                    return $"need {needed} {budget} together, more than the budget of {amount}";
            }
            return null;
        }
        if (config.MaxRunning is { } maxRunning)
            return models.Count <= maxRunning.Value ? null : $"are {models.Count} models but maxRunning is {maxRunning.Value}";
        // llama-swap's groups: one group, and one whose members run together (swap: false).
        var group = groups.FirstOrDefault(g => g.Members.Contains(models[0]));
        if (group is null || models.Exists(m => !group.Members.Contains(m)))
            return "must share one group (with swap: false)";
        return group.Swap ? $"share group '{group.Id}', but it has swap: true; spillover needs a group with swap: false" : null;
    }

    private SelectorTarget? ResolveTarget(string name)
    {
        if (_ids.Contains(name))
            return new SelectorTarget(name, name, name);
        if (_aliasOwners.TryGetValue(name, out var owner))
            return new SelectorTarget(name, owner, owner);
        return FindPeerModel(name, qualifiedOnly: false) is { } peer ? new SelectorTarget(name, null, $"{peer.Peer}/{peer.Model}") : null;
    }

    /// <summary>
    /// llama-swap's peer lookup: `peer/model` exactly, else (unless <paramref name="qualifiedOnly"/>) a model id that
    /// exactly one peer serves; a name two peers could mean is no peer model.
    /// </summary>
    private (string Peer, string Model)? FindPeerModel(string name, bool qualifiedOnly)
    {
        for (var pass = 0; pass < (qualifiedOnly ? 1 : 2); pass++)
        {
            var qualified = pass == 0;
            (string, string)? found = null;
            foreach (var peer in config.Peers)
            {
                foreach (var (model, _) in peer.Models)
                {
                    if ((qualified ? $"{peer.Id}/{model}" : model) != name || found == (peer.Id, model))
                        continue;
                    if (found is not null)
                        return null;
                    found = (peer.Id, model);
                }
            }
            if (found is not null)
                return found;
        }
        return null;
    }
}
