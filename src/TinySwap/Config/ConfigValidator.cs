using System.Collections.Immutable;
using System.Collections.ObjectModel;
using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>
/// Third loader stage: checks that need every model at once (names, groups, preload, resource budgets, policy).
/// Works from the raw models so that one broken model does not hide the others' mistakes or cause false ones.
/// </summary>
internal sealed partial class ConfigValidator(DiagnosticBag diagnostics, RawConfig config, IReadOnlyDictionary<string, ModelConfig> built)
{
    private readonly Dictionary<string, string> _aliasOwners = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ids = new(config.Models.ConvertAll(m => m.Id), StringComparer.Ordinal);

    /// <summary>Id and alias → model, for the models that built without errors.</summary>
    public ReadOnlyDictionary<string, ModelConfig> CheckNames()
    {
        var byName = new Dictionary<string, ModelConfig>(StringComparer.Ordinal);
        var aliasNodes = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var model in StableSort.ByOrdinal(config.Models, m => m.Id))
        {
            built.TryGetValue(model.Id, out var result);
            if (result is not null)
                byName[model.Id] = result;
            for (var i = 0; i < model.Aliases.Count; i++)
            {
                var node = model.Aliases[i].Id.Node;
                var alias = result is not null ? result.Aliases[i] : model.Aliases[i].Id.Value;
                var at = $"models.{model.Id}.aliases";
                if (alias.Length == 0)
                    diagnostics.Error(node, $"{at}: an alias cannot be empty");
                else if (alias == model.Id)
                    diagnostics.Error(node, $"{at}: '{alias}' is the model's own id");
                else if (_ids.Contains(alias))
                    diagnostics.Error(node, $"{at}: '{alias}' is also the id of model '{alias}'");
                else if (_aliasOwners.TryGetValue(alias, out var owner))
                    diagnostics.Error(node, $"{at}: alias '{alias}' is already used by model '{owner}' (line {aliasNodes[alias].Position.Line})");
                else
                {
                    _aliasOwners[alias] = model.Id;
                    aliasNodes[alias] = node;
                    if (result is not null)
                        byName[alias] = result;
                }
            }
        }
        // llama-swap registers every `aliases` entry first, then each model's setParamsByID names in model-id order.
        foreach (var model in StableSort.ByOrdinal(config.Models, m => m.Id))
        {
            if (built.TryGetValue(model.Id, out var result))
                CheckParamsByIdNames(model, result, byName, aliasNodes);
        }
        return byName.AsReadOnly();
    }

    /// <summary>The configured groups plus the implicit default group; each model in exactly one.</summary>
    public ImmutableArray<GroupConfig> CheckGroups()
    {
        var groups = ImmutableArray.CreateBuilder<GroupConfig>();
        var memberOf = new Dictionary<string, (string Group, YamlNode Node)>(StringComparer.Ordinal);
        foreach (var group in config.Groups)
        {
            var path = $"groups.{group.Id}";
            if (group.Id == GroupConfig.DefaultId)
                diagnostics.Error(group.KeyNode, $"{path}: the group id '{GroupConfig.DefaultId}' is reserved for models no group lists");
            var members = new List<string>();
            foreach (var (member, node) in group.Members)
            {
                if (!_ids.Contains(member))
                {
                    diagnostics.Error(node, $"{path}.members: {UnknownModel(member)}");
                    continue;
                }
                if (memberOf.TryGetValue(member, out var first))
                {
                    diagnostics.Error(node, first.Group == group.Id
                        ? $"{path}.members: '{member}' is listed twice"
                        : $"{path}.members: '{member}' is already in group '{first.Group}' (line {first.Node.Position.Line}); a model belongs to one group");
                    continue;
                }
                memberOf[member] = (group.Id, node);
                members.Add(member);
            }
            groups.Add(new GroupConfig
            {
                Id = group.Id,
                Swap = group.Swap,
                Exclusive = group.Exclusive,
                Persistent = group.Persistent,
                Members = [.. members],
            });
        }
        var ungrouped = StableSort.ByOrdinal(_ids, id => id);
        ungrouped.RemoveAll(memberOf.ContainsKey);
        if (ungrouped.Count > 0)
            groups.Add(new GroupConfig { Id = GroupConfig.DefaultId, Members = [.. ungrouped] });
        return groups.ToImmutable();
    }

    /// <summary>`hooks.on_startup.preload`: ids or aliases, resolved to ids; a name that is no model is dropped with a warning (llama-swap drops it silently).</summary>
    public ImmutableArray<string> CheckPreload()
    {
        var result = new List<string>();
        foreach (var (name, node) in config.Preload)
        {
            var trimmed = name.Trim();
            if (trimmed.Length == 0)
                continue;
            var id = _ids.Contains(trimmed) ? trimmed : _aliasOwners.GetValueOrDefault(trimmed);
            if (id is null)
                diagnostics.Warning(node, $"hooks.on_startup.preload: {UnknownModel(trimmed)}; not preloaded");
            else if (result.Contains(id))
                diagnostics.Warning(node, $"hooks.on_startup.preload: '{trimmed}' is listed twice; it is loaded once");
            else
                result.Add(id);
        }
        return [.. result];
    }

    private string UnknownModel(string name) =>
        _aliasOwners.TryGetValue(name, out var owner)
            ? $"'{name}' is an alias of '{owner}'; list model ids here"
            : $"no model '{name}'{KeySuggestion.Hint(name, _ids)}";
}
