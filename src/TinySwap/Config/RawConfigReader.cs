using TinySwap.Config.Keys;
using TinySwap.Config.Macros;
using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>
/// First loader stage: reads the document through the key tables (<see cref="GlobalKeys"/> and the sections under it)
/// into a <see cref="RawConfig"/>, checking every key and type. The readers of values that are more than one typed
/// scalar (lists of models, macros, listen addresses, origins...) live here and are called from the table rows.
/// </summary>
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
        GlobalKeys.Section.Read(reader, this, config, root, "");
        if (config.ModelsNode is null)
            Diagnostics.Error(root, "config: `models:` is missing; it lists the models tinyswap can start");
        ApplyPriorities(config);
        return config;
    }

    // llama-swap refuses a priority for a model it does not have; so do we (a typo would otherwise go unnoticed).
    private void ApplyPriorities(RawConfig config)
    {
        foreach (var (id, keyNode, priority) in config.FifoPriority)
        {
            if (config.Models.Find(m => m.Id == id) is { } model)
                model.Priority = (int)priority;
            else
                Diagnostics.Error(keyNode, $"routing.scheduler.settings.fifo.priority: no model '{id}'{KeySuggestion.Hint(id, config.Models.ConvertAll(m => m.Id))}");
        }
    }

    public void ReadPriorities(RawConfig config, YamlNode value, string path)
    {
        foreach (var (id, keyNode, item) in reader.Entries(value, path))
        {
            if (reader.Integer(item, NodeReader.Join(path, id), int.MinValue, int.MaxValue) is { } priority)
                config.FifoPriority.Add((id, keyNode, priority));
        }
    }

    public void ReadRouterUse(RawConfig config, YamlNode value, string path)
    {
        var use = reader.String(value, path);
        switch (use)
        {
            case null:
                break;
            case "group" or "matrix":
                config.RouterUse = new(use, value);
                break;
            case var other:
                Diagnostics.Error(value, $"{path}: '{other}' is not group or matrix{KeySuggestion.Hint(other, ["group", "matrix"])}");
                break;
        }
    }

    public void ReadModels(RawConfig config, YamlNode value, string path)
    {
        config.ModelsNode = value;
        foreach (var (id, idNode, body) in reader.Entries(value, path))
        {
            var model = new RawModel(id, idNode);
            var at = NodeReader.Join(path, id);
            if (id.Length == 0 || id.Any(char.IsWhiteSpace))
                Diagnostics.Error(idNode, $"{at}: a model id must be non-empty and without spaces (requests name it in \"model\")");
            if (!body.IsMapping)
                Diagnostics.Error(body, $"{at}: expected the model's settings (cmd:, proxy:, ...), got {body.Describe()}");
            else
                ModelKeys.Section.Read(reader, this, model, body, at);
            config.Models.Add(model);
        }
    }

    public void ReadGroups(RawConfig config, YamlNode value, string path)
    {
        if (config.GroupsNode is { } first)
        {
            Diagnostics.Error(value, $"{path}: groups are already set at line {first.Position.Line}; use top-level `groups` or `routing.router.settings.groups`, not both (llama-swap refuses both too)");
            return;
        }
        config.GroupsNode = value;
        foreach (var (id, idNode, body) in reader.Entries(value, path))
        {
            var group = new RawGroup(id, idNode);
            var at = NodeReader.Join(path, id);
            GroupKeys.Section.Read(reader, this, group, body, at);
            // llama-swap defaults members to an empty list: such a group holds no model and decides nothing.
            if (!group.HasMembers && body.IsMapping)
                Diagnostics.Warning(idNode, $"{at}: `members:` is missing, so the group holds no model (llama-swap accepts it too)");
            config.Groups.Add(group);
        }
    }

    public void ReadPeers(RawConfig config, YamlNode value, string path)
    {
        // Validated into TinySwapConfig.Peers for the proxy; until it forwards to them, say so.
        Diagnostics.Warning(value, "peers: llama-swap setting accepted but not implemented by tinyswap yet; validated, but requests for peer models get 404");
        foreach (var (id, idNode, body) in reader.Entries(value, path))
        {
            var peer = new RawPeer(id, idNode);
            var at = NodeReader.Join(path, id);
            PeerKeys.Section.Read(reader, this, peer, body, at);
            if (body.IsMapping && peer.Proxy is null)
                Diagnostics.Error(idNode, $"{at}: `proxy:` is missing (the peer's base URL)");
            if (body.IsMapping && peer.Models.Count == 0)
                Diagnostics.Error(idNode, $"{at}: `models:` is missing or empty (the model ids the peer serves)");
            config.Peers.Add(peer);
        }
    }

    public void ReadLogLevel(RawConfig config, YamlNode value, string path)
    {
        if (reader.String(value, path) is not { } text)
            return;
        if (LogLevels.TryParse(text, out var level))
            config.LogLevel = level;
        else
            Diagnostics.Error(value, $"{path}: '{text}' is not one of {string.Join(", ", LogLevels.Names)}{KeySuggestion.Hint(text, LogLevels.Names)}");
    }

    public void ReadListen(RawConfig config, YamlNode value, string path)
    {
        foreach (var (text, node) in ScalarOrList(value, path))
        {
            if (ListenAddress.TryParse(text, out var address, out var error))
                config.Listen.Add(new(address.ToString(), node));
            else
                Diagnostics.Error(node, $"{path}: {error}");
        }
        if (value.IsSequence && value.Items.Count == 0)
            Diagnostics.Error(value, $"{path}: the list is empty; give at least one HOST:PORT or leave listen out");
    }

    /// <summary>`allowedHosts`: host names or IP literals as a `Host` header carries them (a port is allowed), compared case-insensitively.</summary>
    public void ReadAllowedHosts(RawConfig config, YamlNode value, string path)
    {
        foreach (var (text, node) in reader.StringList(value, path))
        {
            var host = text.Trim().ToLowerInvariant();
            if (HostHeaderValue.IsValid(host))
                config.AllowedHosts.Add(new(host, node));
            else
                Diagnostics.Error(node, $"{path}: '{text}' is not a host name or IP address (e.g. llm.home.arpa, 192.168.1.10, llm.home.arpa:8443)");
        }
    }

    /// <summary>`cors.allowOrigins`: exact origins, normalised as browsers send them in `Origin` (lower case, no default port).</summary>
    public void ReadOrigins(RawConfig config, YamlNode value, string path)
    {
        foreach (var (text, node) in reader.StringList(value, path))
        {
            if (WebOrigin.TryNormalize(text, out var origin, out var error))
                config.CorsAllowOrigins.Add(new(origin, node));
            else
                Diagnostics.Error(node, $"{path}: {error}");
        }
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

    /// <summary>Strings (llama-swap's classic form) or `{id, name, unlisted}` mappings (its newer form).</summary>
    public void ReadAliases(RawModel model, YamlNode value, string path)
    {
        if (value.IsNull)
            return;
        if (!value.IsSequence)
        {
            Diagnostics.Error(value, $"{path}: expected a list of names, got {value.Describe()}");
            return;
        }
        for (var i = 0; i < value.Items.Count; i++)
        {
            var item = value.Items[i];
            var at = $"{path}[{i}]";
            if (!item.IsMapping)
            {
                if (reader.String(item, at) is { } alias)
                    model.Aliases.Add(new(alias, item));
                continue;
            }
            var mapping = new RawAlias();
            ModelKeys.Alias.Read(reader, this, mapping, item, at);
            if (mapping.Id is { } id)
                model.Aliases.Add(id);
            else
                Diagnostics.Error(item, $"{at}: an alias mapping needs `id:`");
        }
    }

    private List<(string Text, YamlNode Node)> ScalarOrList(YamlNode value, string path) =>
        value.IsSequence ? reader.StringList(value, path)
        : reader.String(value, path) is { } single ? [(single, value)]
        : [];

    // ConvertAll, not LINQ: every LINQ operator over a struct element type costs the AOT binary kilobytes.
    public static List<Located<string>> Located(List<(string Text, YamlNode Node)> items) =>
        items.ConvertAll(i => new Located<string>(i.Text, i.Node));
}
