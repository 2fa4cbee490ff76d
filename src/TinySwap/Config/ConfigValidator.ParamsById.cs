using TinySwap.Config.Yaml;

namespace TinySwap.Config;

internal sealed partial class ConfigValidator
{
    /// <summary>
    /// `filters.setParamsByID` names become aliases of their model (llama-swap's load.go): the model's own id is fine
    /// (its params apply to requests by id), an alias the model already has is fine, any other model's id or alias —
    /// `setParamsByID` names of models checked earlier included — is an error at the name.
    /// </summary>
    private void CheckParamsByIdNames(RawModel model, ModelConfig result, Dictionary<string, ModelConfig> byName, Dictionary<string, YamlNode> nameNodes)
    {
        var at = $"models.{model.Id}.filters.setParamsByID";
        // The built entries are the raw ones in order: a model with a duplicate or empty name did not build.
        for (var i = 0; i < result.SetParamsById.Length; i++)
        {
            var name = result.SetParamsById[i].Name;
            var node = model.SetParamsById[i].KeyNode;
            if (name == model.Id)
                continue;
            if (_ids.Contains(name))
                diagnostics.Error(node, $"{at}: '{name}' is also the id of model '{name}'");
            else if (_aliasOwners.TryGetValue(name, out var owner))
            {
                if (owner != model.Id)
                    diagnostics.Error(node, $"{at}: '{name}' is already an alias of model '{owner}' (line {nameNodes[name].Position.Line})");
            }
            else
            {
                _aliasOwners[name] = model.Id;
                nameNodes[name] = node;
                byName[name] = result;
            }
        }
    }
}
