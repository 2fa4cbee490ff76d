using System.Collections.Immutable;

namespace TinySwap.Config;

internal sealed partial class ModelBuilder
{
    /// <summary>A model's other names: its `aliases` (with their listing name and `unlisted`) and its `setParamsByID` names.</summary>
    private readonly record struct AliasSet(
        ImmutableArray<string> Names,
        ImmutableArray<string> Unlisted,
        ImmutableArray<KeyValuePair<string, string>> ListedNames,
        ImmutableArray<ParamsById> ParamsById);

    /// <summary>
    /// As llama-swap loads them: each `setParamsByID` name other than the model's own id becomes an alias too (listed with
    /// `includeAliasesInList`), unless `aliases` already has it. Conflicts with other models are the validator's.
    /// </summary>
    private AliasSet BuildAliases(RawModel model, Macros.MacroScope scope, string path)
    {
        var names = new List<string>(model.Aliases.Count + model.SetParamsById.Count);
        var unlisted = ImmutableArray.CreateBuilder<string>();
        var listedNames = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        foreach (var alias in model.Aliases)
        {
            var id = Expand(alias.Id, scope, path + ".aliases");
            names.Add(id);
            if (alias.Unlisted)
                unlisted.Add(id);
            if (Expand(alias.Name, scope, path + ".aliases.name") is { } name && name.Trim().Length > 0)
                listedNames.Add(new(id, name));
        }

        var byId = BuildSetParamsById(model, scope, path + ".filters.setParamsByID");
        foreach (var entry in byId)
        {
            if (entry.Name != model.Id && !names.Contains(entry.Name))
                names.Add(entry.Name);
        }
        return new AliasSet([.. names], unlisted.ToImmutable(), listedNames.ToImmutable(), byId);
    }

    /// <summary>
    /// `filters.setParamsByID`: names are expanded with every macro the model sees (`${MODEL_ID}:high`); two names that
    /// expand to the same text are an error, as in llama-swap. Params are converted as `setParams` are, `model` refused.
    /// </summary>
    private ImmutableArray<ParamsById> BuildSetParamsById(RawModel model, Macros.MacroScope scope, string path)
    {
        var result = ImmutableArray.CreateBuilder<ParamsById>(model.SetParamsById.Count);
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, keyNode, parameters) in model.SetParamsById)
        {
            var name = _expander.Expand(key, scope, keyNode, path);
            if (name.Length == 0)
                Diagnostics.Error(keyNode, $"{path}: a name cannot be empty");
            else if (written.TryGetValue(name, out var first))
                Diagnostics.Error(keyNode, $"{path}: '{key}' and '{first}' both name '{name}'");
            else
            {
                written[name] = key;
                result.Add(new ParamsById(name, BuildSetParams(parameters, scope, NodeReader.Join(path, name))));
            }
        }
        return result.ToImmutable();
    }
}
