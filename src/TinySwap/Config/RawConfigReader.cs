using TinySwap.Config.Macros;
using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>First loader stage: checks every key and type of the document and fills a <see cref="RawConfig"/>.</summary>
internal sealed class RawConfigReader(NodeReader reader)
{
    private DiagnosticBag Diagnostics => reader.Diagnostics;

    public RawConfig Read(YamlNode root)
    {
        var config = new RawConfig();
        if (!root.IsMapping)
        {
            Diagnostics.Error(root, $"the config must be a mapping of settings (models:, groups:, ...), got {root.Describe()}");
            return config;
        }
        foreach (var (key, keyNode, value) in reader.Entries(root, "config"))
            ReadTopLevel(config, key, keyNode, value);
        if (config.ModelsNode is null)
            Diagnostics.Error(root, "config: `models:` is missing; it lists the models tinyswap can start");
        return config;
    }

    private void ReadTopLevel(RawConfig config, string key, YamlNode keyNode, YamlNode value)
    {
        switch (key)
        {
            case "healthCheckTimeout": config.HealthCheckTimeout = reader.Seconds(value, key) ?? config.HealthCheckTimeout; break;
            case "logLevel": ReadLogLevel(config, value); break;
            case "startPort":
                if (reader.Integer(value, key, 1, 65535) is { } port)
                    config.StartPort = new(port, value);
                break;
            case "globalTTL": config.GlobalTtl = reader.Seconds(value, key) ?? config.GlobalTtl; break;
            case "unloadTimeout": config.UnloadTimeout = reader.Seconds(value, key) ?? config.UnloadTimeout; break;
            case "queueTimeout": config.QueueTimeout = reader.Seconds(value, key) ?? config.QueueTimeout; break;
            case "drainTimeout": config.DrainTimeout = reader.Seconds(value, key) ?? config.DrainTimeout; break;
            case "maxRunning":
                if (reader.Integer(value, key, 1, int.MaxValue) is { } max)
                    config.MaxRunning = new(max, value);
                break;
            case "resources": ReadAmounts(value, key, config.Budgets); break;
            case "countSleeping": config.CountSleeping = reader.Bool(value, key) ?? false; break;
            case "sendLoadingState": config.SendLoadingState = reader.Bool(value, key) ?? false; break;
            case "includeAliasesInList": config.IncludeAliasesInList = reader.Bool(value, key) ?? false; break;
            case "macros": ReadMacros(value, key, config.Macros); break;
            case "models":
                config.ModelsNode = value;
                var modelReader = new RawModelReader(reader, this);
                foreach (var (id, idNode, body) in reader.Entries(value, key))
                    config.Models.Add(modelReader.Read(id, idNode, body));
                break;
            case "groups": ReadGroups(config, value); break;
            case "hooks": ReadHooks(config, value); break;
            case "apiKeys": config.ApiKeys.AddRange(Located(reader.StringList(value, key))); break;
            case "listen": ReadListen(config, value); break;
            case "limits": config.Limits = new LimitsReader(reader).Read(value, config.Limits); break;
            case "peers":
                // Validated into TinySwapConfig.Peers for the proxy; until it forwards to them, say so.
                Diagnostics.Warning(keyNode, "peers: llama-swap setting accepted but not implemented by tinyswap yet; validated, but requests for peer models get 404");
                new PeersReader(reader, this).Read(value, config.Peers);
                break;
            // Docker Compose's convention: `x-` keys hold YAML anchors (x-defaults: &defaults ...) and mean nothing else.
            case var extension when extension.StartsWith("x-", StringComparison.Ordinal): break;
            default: reader.UnknownKey(keyNode, key, "", ConfigKeys.TopLevel, ConfigKeys.TopLevelNotImplemented); break;
        }
    }

    private void ReadLogLevel(RawConfig config, YamlNode value)
    {
        if (reader.String(value, "logLevel") is not { } text)
            return;
        if (LogLevels.TryParse(text, out var level))
            config.LogLevel = level;
        else
            Diagnostics.Error(value, $"logLevel: '{text}' is not one of {string.Join(", ", LogLevels.Names)}{KeySuggestion.Hint(text, LogLevels.Names)}");
    }

    private void ReadListen(RawConfig config, YamlNode value)
    {
        IEnumerable<(string, YamlNode)> items = value.IsSequence
            ? reader.StringList(value, "listen")
            : reader.String(value, "listen") is { } single ? [(single, value)] : [];
        foreach (var (text, node) in items)
        {
            if (ListenAddress.TryParse(text, out var address, out var error))
                config.Listen.Add(new(address.ToString(), node));
            else
                Diagnostics.Error(node, "listen: " + error);
        }
        if (value.IsSequence && value.Items.Count == 0)
            Diagnostics.Error(value, "listen: the list is empty; give at least one HOST:PORT or leave listen out");
    }

    /// <summary>`macros:` (top level or per model): names of [A-Za-z0-9_-], under 64 characters, not reserved; scalar values.</summary>
    public void ReadMacros(YamlNode value, string path, List<MacroDefinition> into)
    {
        foreach (var (name, keyNode, body) in reader.Entries(value, path))
        {
            var at = NodeReader.Join(path, name);
            if (!MacroReferences.IsName(name) || name.Length >= 64)
                Diagnostics.Error(keyNode, $"{at}: a macro name uses letters, digits, '_' and '-' (under 64 characters)");
            else if (name is MacroScope.Port or MacroScope.ModelIdName or MacroScope.Pid)
                Diagnostics.Error(keyNode, $"{at}: '{name}' is reserved (tinyswap sets it)");
            else if (!body.IsScalar || body.IsNull)
                Diagnostics.Error(body, $"{at}: a macro value must be text, a number or true/false, got {body.Describe()}");
            else
                into.Add(new(name, keyNode, body, reader.ExpandEnvironment(body.Text, body, at), body.ResolvedKind));
        }
    }

    /// <summary>A mapping of name → non-negative whole number (resource budgets and needs).</summary>
    public void ReadAmounts(YamlNode value, string path, List<(string, YamlNode, long)> into)
    {
        foreach (var (name, keyNode, amount) in reader.Entries(value, path))
        {
            if (reader.Integer(amount, NodeReader.Join(path, name), 0) is { } number)
                into.Add((name, keyNode, number));
        }
    }

    /// <summary>`stripParams`: llama-swap's comma-separated string, or a list.</summary>
    public void ReadStripParams(YamlNode value, string path, List<Located<string>> into)
    {
        var parts = value.IsSequence ? reader.StringList(value, path) : [];
        if (!value.IsSequence && reader.String(value, path) is { } text)
        {
            foreach (var part in text.Split(','))
                parts.Add((part, value));
        }
        foreach (var (part, node) in parts)
        {
            var name = part.Trim();
            if (name.Length > 0)
                into.Add(new(name, node));
        }
    }

    /// <summary>`setParams`: key → any YAML value (converted to JSON once macros are known).</summary>
    public void ReadSetParams(YamlNode value, string path, List<(string, YamlNode, YamlNode)> into)
    {
        foreach (var entry in reader.Entries(value, path))
            into.Add(entry);
    }

    private void ReadGroups(RawConfig config, YamlNode value)
    {
        config.GroupsNode = value;
        foreach (var (id, idNode, body) in reader.Entries(value, "groups"))
        {
            var group = new RawGroup(id, idNode);
            var path = "groups." + id;
            var hasMembers = false;
            foreach (var (key, keyNode, item) in reader.Entries(body, path))
            {
                var at = NodeReader.Join(path, key);
                switch (key)
                {
                    case "swap": group.Swap = reader.Bool(item, at) ?? true; break;
                    case "exclusive": group.Exclusive = reader.Bool(item, at) ?? true; break;
                    case "persistent": group.Persistent = reader.Bool(item, at) ?? false; break;
                    case "members": hasMembers = true; group.Members.AddRange(Located(reader.StringList(item, at))); break;
                    default: reader.UnknownKey(keyNode, key, path, ConfigKeys.Group, ConfigKeys.None); break;
                }
            }
            if (!hasMembers && body.IsMapping)
                Diagnostics.Error(idNode, $"{path}: `members:` is missing (the model ids of this group)");
            config.Groups.Add(group);
        }
    }

    private void ReadHooks(RawConfig config, YamlNode value)
    {
        foreach (var (key, keyNode, body) in reader.Entries(value, "hooks"))
        {
            if (key != "on_startup")
            {
                reader.UnknownKey(keyNode, key, "hooks", ConfigKeys.Hooks, ConfigKeys.None);
                continue;
            }
            foreach (var (action, actionNode, list) in reader.Entries(body, "hooks.on_startup"))
            {
                if (action == "preload")
                    config.Preload.AddRange(Located(reader.StringList(list, "hooks.on_startup.preload")));
                else
                    reader.UnknownKey(actionNode, action, "hooks.on_startup", ConfigKeys.OnStartup, ConfigKeys.None);
            }
        }
    }

    // ConvertAll, not LINQ: every LINQ operator over a struct element type costs the AOT binary kilobytes.
    public static List<Located<string>> Located(List<(string Text, YamlNode Node)> items) =>
        items.ConvertAll(i => new Located<string>(i.Text, i.Node));
}
