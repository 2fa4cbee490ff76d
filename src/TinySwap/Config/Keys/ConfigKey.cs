using System.Globalization;
using TinySwap.Config.Yaml;

namespace TinySwap.Config.Keys;

/// <summary>Whose key it is: llama-swap's (read as llama-swap reads it), tinyswap's own (Ours), or llama-swap's not implemented here yet.</summary>
internal enum KeyOrigin { LlamaSwap, Ours, NotImplemented }

/// <summary>What a key reader gets: the typed-value reader, the composite section readers, and the key's dotted path.</summary>
internal readonly struct KeyContext(NodeReader reader, RawConfigReader sections, string path)
{
    public NodeReader Reader { get; } = reader;
    public RawConfigReader Sections { get; } = sections;
    public string Path { get; } = path;

    public DiagnosticBag Diagnostics => Reader.Diagnostics;

    /// <summary>A scalar as text with its node, or null when absent (`~`) or not text (reported).</summary>
    public Located<string>? Text(YamlNode value) => Reader.String(value, Path) is { } text ? new Located<string>(text, value) : null;
}

/// <summary>Turns a key's YAML value into its typed value on <typeparamref name="T"/>, reporting (never throwing) what is wrong.</summary>
internal delegate void KeyReader<in T>(KeyContext at, T target, YamlNode value);

/// <summary>
/// One row of a section's key table: the name, whose key it is, its default as README shows it, the README line, how
/// its value is read into <typeparamref name="T"/>, and (model keys) its part of the fingerprint that decides whether
/// a reload must restart the model's process.
/// </summary>
internal class ConfigKey<T>(string name, KeyOrigin origin, string defaultText, string meaning, KeyReader<T>? read)
{
    public string Name { get; } = name;
    public KeyOrigin Origin { get; } = origin;

    /// <summary>The default as README writes it ("" when the key has none).</summary>
    public string DefaultText { get; } = defaultText;

    /// <summary>The README line.</summary>
    public string Meaning { get; } = meaning;

    /// <summary>Null for a key accepted with a warning and otherwise ignored.</summary>
    public KeyReader<T>? Read { get; } = read;

    /// <summary>
    /// This key's canonical text in a built model, for keys that shape the running process (argv, environment, probes,
    /// hooks, timeouts the supervisor uses); null for keys a reload applies without a restart (aliases, filters...).
    /// </summary>
    public Func<ModelConfig, string?>? Fingerprint { get; init; }
}

/// <summary>A key with a typed default: the one place that default is written (raw and built configs refer to it).</summary>
internal sealed class ConfigKey<T, TValue>(string name, KeyOrigin origin, TValue defaultValue, string defaultText, string meaning, KeyReader<T> read)
    : ConfigKey<T>(name, origin, defaultText, meaning, read)
{
    public TValue Default { get; } = defaultValue;
}

/// <summary>Builders for the common shapes of key, so a table row reads as name, default, setter, meaning.</summary>
internal static class Key
{
    public static ConfigKey<T, TimeSpan> Seconds<T>(string name, KeyOrigin origin, double seconds, Action<T, TimeSpan> set, string meaning,
        Func<ModelConfig, string?>? fingerprint = null) =>
        Duration(name, origin, seconds, set, meaning, fingerprint, positive: false);

    /// <summary>A timeout: more than zero seconds (zero would fire at once).</summary>
    public static ConfigKey<T, TimeSpan> PositiveSeconds<T>(string name, KeyOrigin origin, double seconds, Action<T, TimeSpan> set, string meaning,
        Func<ModelConfig, string?>? fingerprint = null) =>
        Duration(name, origin, seconds, set, meaning, fingerprint, positive: true);

    private static ConfigKey<T, TimeSpan> Duration<T>(string name, KeyOrigin origin, double seconds, Action<T, TimeSpan> set, string meaning,
        Func<ModelConfig, string?>? fingerprint, bool positive) =>
        new(name, origin, TimeSpan.FromSeconds(seconds), Number(seconds), meaning, (at, target, value) =>
        {
            if ((positive ? at.Reader.PositiveSeconds(value, at.Path) : at.Reader.Seconds(value, at.Path)) is { } read)
                set(target, read);
        }) { Fingerprint = fingerprint };

    public static ConfigKey<T, bool> Bool<T>(string name, KeyOrigin origin, bool defaultValue, Action<T, bool> set, string meaning) =>
        new(name, origin, defaultValue, defaultValue ? "true" : "false", meaning, (at, target, value) =>
        {
            if (at.Reader.Bool(value, at.Path) is { } read)
                set(target, read);
        });

    public static ConfigKey<T, long> Integer<T>(string name, KeyOrigin origin, long defaultValue, long min, long max, Action<T, long> set, string meaning) =>
        new(name, origin, defaultValue, Number(defaultValue), meaning, (at, target, value) =>
        {
            if (at.Reader.Integer(value, at.Path, min, max) is { } read)
                set(target, read);
        });

    /// <summary>Text kept with its node (macros are expanded later, errors point at it).</summary>
    public static ConfigKey<T> Text<T>(string name, KeyOrigin origin, string defaultText, Action<T, Located<string>?> set, string meaning,
        Func<ModelConfig, string?>? fingerprint = null) =>
        new(name, origin, defaultText, meaning, (at, target, value) => set(target, at.Text(value))) { Fingerprint = fingerprint };

    /// <summary>
    /// A llama-swap key tinyswap does not implement yet: accepted with a warning naming it. <paramref name="why"/> is
    /// README's reason (ConfigReferenceTests requires one).
    /// </summary>
    public static ConfigKey<T> NotImplemented<T>(string name, string why = "") => new(name, KeyOrigin.NotImplemented, "", why, null);

    public static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
