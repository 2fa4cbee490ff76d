using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>Reads one entry under `models:`: llama-swap's keys, ours (hooks, resources, priority...), and the accepted-but-unimplemented ones.</summary>
internal sealed class RawModelReader(NodeReader reader, RawConfigReader sections)
{
    public RawModel Read(string id, YamlNode idNode, YamlNode body)
    {
        var model = new RawModel(id, idNode);
        var path = "models." + id;
        if (id.Length == 0 || id.Any(char.IsWhiteSpace))
            reader.Diagnostics.Error(idNode, $"{path}: a model id must be non-empty and without spaces (requests name it in \"model\")");
        if (!body.IsMapping)
        {
            reader.Diagnostics.Error(body, $"{path}: expected the model's settings (cmd:, proxy:, ...), got {body.Describe()}");
            return model;
        }
        foreach (var (key, keyNode, value) in reader.Entries(body, path))
            ReadKey(model, key, keyNode, value, NodeReader.Join(path, key), path);
        return model;
    }

    private void ReadKey(RawModel model, string key, YamlNode keyNode, YamlNode value, string at, string path)
    {
        switch (key)
        {
            case "cmd": model.Cmd = Text(value, at); break;
            case "cmdStop": model.CmdStop = Text(value, at); break;
            case "proxy": model.Proxy = Text(value, at); break;
            case "checkEndpoint": model.CheckEndpoint = Text(value, at); break;
            case "useModelName": model.UseModelName = Text(value, at); break;
            case "name": model.Name = Text(value, at); break;
            case "description": model.Description = Text(value, at); break;
            case "afterHealthy": model.AfterHealthy = Text(value, at); break;
            case "beforeStop": model.BeforeStop = Text(value, at); break;
            case "wake": model.Wake = Text(value, at); break;
            case "sleep": model.Sleep = Text(value, at); break;
            case "alive": model.Alive = Text(value, at); break;
            case "ttl": model.Ttl = reader.Integer(value, at, -1) ?? model.Ttl; break;
            case "unloadTimeout":
                // llama-swap: 0 means "use the global unloadTimeout".
                if (reader.Seconds(value, at) is { } unload && unload > TimeSpan.Zero)
                    model.UnloadTimeout = unload;
                break;
            case "unlisted": model.Unlisted = reader.Bool(value, at) ?? false; break;
            case "concurrencyLimit": model.ConcurrencyLimit = (int)(reader.Integer(value, at, 0, int.MaxValue) ?? 0); break;
            case "sendLoadingState": model.SendLoadingState = reader.Bool(value, at); break;
            case "hookTimeout": model.HookTimeout = reader.PositiveSeconds(value, at) ?? model.HookTimeout; break;
            case "aliveInterval": model.AliveInterval = reader.PositiveSeconds(value, at) ?? model.AliveInterval; break;
            case "minActive": model.MinActive = reader.Seconds(value, at) ?? TimeSpan.Zero; break;
            case "priority": model.Priority = (int)(reader.Integer(value, at, int.MinValue, int.MaxValue) ?? 0); break;
            case "aliases": ReadAliases(model, value, at); break;
            case "env": model.Env.AddRange(RawConfigReader.Located(reader.StringList(value, at))); break;
            case "filters": ReadFilters(model, value, at); break;
            case "macros": sections.ReadMacros(value, at, model.Macros); break;
            case "metadata":
                if (!value.IsNull && !value.IsMapping)
                    reader.Diagnostics.Error(value, $"{at}: expected a mapping of values shown in /v1/models, got {value.Describe()}");
                else if (value.IsMapping)
                    model.Metadata = value;
                break;
            case "resources": sections.ReadAmounts(value, at, model.Resources); break;
            default: reader.UnknownKey(keyNode, key, path, ConfigKeys.Model, ConfigKeys.ModelNotImplemented); break;
        }
    }

    private Located<string>? Text(YamlNode value, string at) =>
        reader.String(value, at) is { } text ? new Located<string>(text, value) : null;


    // Strings (llama-swap's classic form) or {id, name, unlisted} mappings (its newer form).
    private void ReadAliases(RawModel model, YamlNode value, string at)
    {
        if (value.IsNull)
            return;
        if (!value.IsSequence)
        {
            reader.Diagnostics.Error(value, $"{at}: expected a list of names, got {value.Describe()}");
            return;
        }
        for (var i = 0; i < value.Items.Count; i++)
        {
            var item = value.Items[i];
            var itemPath = $"{at}[{i}]";
            if (!item.IsMapping)
            {
                if (reader.String(item, itemPath) is { } alias)
                    model.Aliases.Add(new(alias, item));
                continue;
            }
            var hasId = false;
            foreach (var (key, keyNode, field) in reader.Entries(item, itemPath))
            {
                if (key == "id")
                {
                    hasId = true;
                    if (reader.String(field, NodeReader.Join(itemPath, key)) is { } id)
                        model.Aliases.Add(new(id, field));
                }
                else
                    reader.UnknownKey(keyNode, key, itemPath, ConfigKeys.Alias, ConfigKeys.AliasNotImplemented);
            }
            if (!hasId)
                reader.Diagnostics.Error(item, $"{itemPath}: an alias mapping needs `id:`");
        }
    }

    private void ReadFilters(RawModel model, YamlNode value, string path)
    {
        foreach (var (key, keyNode, item) in reader.Entries(value, path))
        {
            var at = NodeReader.Join(path, key);
            switch (key)
            {
                case "stripParams" or "strip_params": sections.ReadStripParams(item, at, model.StripParams); break;
                case "setParams": sections.ReadSetParams(item, at, model.SetParams); break;
                default: reader.UnknownKey(keyNode, key, path, ConfigKeys.Filters, ConfigKeys.FiltersNotImplemented); break;
            }
        }
    }
}
