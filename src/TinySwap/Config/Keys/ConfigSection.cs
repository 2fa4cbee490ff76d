using TinySwap.Config.Yaml;

namespace TinySwap.Config.Keys;

/// <summary>
/// The key table of one mapping of the config (top level, a model, a group, `limits`...): reads the mapping by looking
/// each key up in the table, and reports any other key with a suggestion drawn from the same table.
/// </summary>
internal sealed class ConfigSection<T>
{
    public ConfigSection(string path, string heading, ConfigKey<T>[] keys, bool allowsExtensionKeys = false, bool unknownIsError = false)
    {
        Path = path;
        Heading = heading;
        _keys = keys;
        AllowsExtensionKeys = allowsExtensionKeys;
        UnknownIsError = unknownIsError;
        // Loops rather than a Dictionary or LINQ: the AOT compiler builds those again for each section's row type,
        // while a section has a few dozen keys, looked up once per load.
        Names = new string[keys.Length];
        for (var i = 0; i < keys.Length; i++)
            Names[i] = keys[i].Name;
    }

    /// <summary>Where the section sits, as README names it: "" (top level), "models.ID", "limits"...</summary>
    public string Path { get; }

    /// <summary>README's heading for the section's table.</summary>
    public string Heading { get; }

    private readonly ConfigKey<T>[] _keys;

    /// <summary>In the order README lists them.</summary>
    public ReadOnlySpan<ConfigKey<T>> Keys => _keys;

    public string[] Names { get; }

    /// <summary>Docker Compose's convention: `x-` keys hold YAML anchors (x-defaults: &amp;defaults ...) and mean nothing else.</summary>
    public bool AllowsExtensionKeys { get; }

    /// <summary>Sections of tinyswap's own (no llama-swap file has them) refuse any key they do not know.</summary>
    public bool UnknownIsError { get; }

    public ConfigKey<T>? Find(string name)
    {
        foreach (var key in _keys)
        {
            if (key.Name == name)
                return key;
        }
        return null;
    }

    /// <summary>Reads every entry of <paramref name="mapping"/> (at <paramref name="path"/>) into <paramref name="target"/>.</summary>
    public void Read(NodeReader reader, RawConfigReader sections, T target, YamlNode mapping, string path)
    {
        foreach (var (name, keyNode, value) in reader.Entries(mapping, path.Length == 0 ? "config" : path))
        {
            if (Find(name) is { Read: { } read })
                read(new KeyContext(reader, sections, NodeReader.Join(path, name)), target, value);
            else
                Unknown(reader, keyNode, name, path);
        }
    }

    /// <summary>
    /// A key this table does not read. llama-swap ignores keys it does not know (yaml.v3 is not strict), and so do we,
    /// with a warning, except where it is a misspelling of a known key: a typo (`tll`) silently changes what the config
    /// means, so that is an error with the suggestion (a key that merely shares a prefix, `unload`, warns with the
    /// hint). llama-swap's keys we do not implement yet warn; `x-` keys pass.
    /// </summary>
    public void Unknown(NodeReader reader, YamlNode keyNode, string name, string path)
    {
        var where = path.Length == 0 ? "config" : path;
        if (Find(name) is { Origin: KeyOrigin.NotImplemented })
            reader.Diagnostics.Warning(keyNode, $"{NodeReader.Join(path, name)}: llama-swap setting accepted but not implemented by tinyswap yet; ignored");
        else if (AllowsExtensionKeys && name.StartsWith("x-", StringComparison.Ordinal))
            return;
        else if (UnknownIsError)
            reader.Diagnostics.Error(keyNode, $"{where}: unknown key '{name}'{KeySuggestion.Hint(name, Names)}; known: {string.Join(", ", Names)}");
        else if (KeySuggestion.Misspelt(name, Names) is { } suggestion)
            reader.Diagnostics.Error(keyNode, $"{where}: unknown key '{name}' (did you mean '{suggestion}'?)");
        else
            reader.Diagnostics.Warning(keyNode, $"{where}: unknown key '{name}'{KeySuggestion.Hint(name, Names)} ignored (llama-swap ignores it too)");
    }
}
