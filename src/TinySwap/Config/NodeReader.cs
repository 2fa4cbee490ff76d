using System.Globalization;
using System.Text;
using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>
/// Reads typed values out of YAML nodes, recording a positioned error (never throwing) when a value has the wrong
/// type, and expanding <c>${env.NAME}</c> in every scalar (llama-swap substitutes them anywhere in the file).
/// </summary>
internal sealed class NodeReader(DiagnosticBag diagnostics, Func<string, string?> environment)
{
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    /// <summary>The entries of a mapping with scalar keys; null or a non-mapping yields nothing (the latter with an error).</summary>
    public IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(YamlNode node, string path)
    {
        if (node.IsNull)
            yield break;
        if (!node.IsMapping)
        {
            Diagnostics.Error(node, $"{path}: expected a mapping (key: value lines), got {node.Describe()}");
            yield break;
        }
        foreach (var (key, value) in node.Entries)
        {
            if (!key.IsScalar)
            {
                Diagnostics.Error(key, $"{path}: keys must be plain names, got {key.Describe()}");
                continue;
            }
            yield return (key.Text, key, value);
        }
    }

    /// <summary>Reports a key the section does not have: a warning for llama-swap keys we do not implement yet, else an error.</summary>
    public void UnknownKey(YamlNode keyNode, string key, string path, string[] known, string[] notImplemented)
    {
        if (notImplemented.Contains(key))
        {
            Diagnostics.Warning(keyNode, $"{Join(path, key)}: llama-swap setting accepted but not implemented by tinyswap yet; ignored");
            return;
        }
        Diagnostics.Error(keyNode, $"{(path.Length == 0 ? "config" : path)}: unknown key '{key}'{KeySuggestion.Hint(key, [.. known, .. notImplemented])}");
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    /// <summary>A scalar as text (numbers and booleans included, as go-yaml allows); null when absent or `~`.</summary>
    public string? String(YamlNode node, string path)
    {
        if (node.IsNull)
            return null;
        if (!node.IsScalar)
        {
            Diagnostics.Error(node, $"{path}: expected text, got {node.Describe()}");
            return null;
        }
        return ExpandEnvironment(node.Text, node, path);
    }

    // A number or boolean whose ${env.X} is unset has been reported already; do not add "expected a number".
    private string? TypedText(YamlNode node, string path)
    {
        var errorsBefore = Diagnostics.ErrorCount;
        var text = String(node, path);
        return Diagnostics.ErrorCount == errorsBefore ? text : null;
    }

    public bool? Bool(YamlNode node, string path)
    {
        var text = TypedText(node, path);
        if (text is null)
            return null;
        if (CoreSchema.TryBool(text, out var value))
            return value;
        Diagnostics.Error(node, $"{path}: expected true or false, got {node.Describe()}");
        return null;
    }

    public long? Integer(YamlNode node, string path, long min, long max = long.MaxValue)
    {
        var text = TypedText(node, path);
        if (text is null)
            return null;
        if (!CoreSchema.TryInteger(text, out var value))
        {
            Diagnostics.Error(node, $"{path}: expected a whole number, got {node.Describe()}");
            return null;
        }
        if (value < min || value > max)
        {
            Diagnostics.Error(node, $"{path}: {value} is out of range ({Range(min, max)})");
            return null;
        }
        return value;
    }

    public double? Number(YamlNode node, string path, double min)
    {
        var text = TypedText(node, path);
        if (text is null)
            return null;
        if (!CoreSchema.TryFloat(text, out var value) || !double.IsFinite(value))
        {
            Diagnostics.Error(node, $"{path}: expected a number, got {node.Describe()}");
            return null;
        }
        if (value < min)
        {
            Diagnostics.Error(node, $"{path}: {text} is out of range (must be at least {min.ToString(CultureInfo.InvariantCulture)})");
            return null;
        }
        return value;
    }

    /// <summary>A duration written as a number of seconds (fractions allowed), at least zero.</summary>
    public TimeSpan? Seconds(YamlNode node, string path) =>
        Number(node, path, 0) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary>A duration in seconds that must be more than zero (a timeout of 0 would fire at once).</summary>
    public TimeSpan? PositiveSeconds(YamlNode node, string path)
    {
        var seconds = Seconds(node, path);
        if (seconds != TimeSpan.Zero)
            return seconds;
        Diagnostics.Error(node, $"{path}: must be more than 0 seconds");
        return null;
    }

    /// <summary>A list of scalars as text; a single scalar is not a list (an error), null is an empty list.</summary>
    public List<(string Text, YamlNode Node)> StringList(YamlNode node, string path)
    {
        var result = new List<(string, YamlNode)>();
        if (node.IsNull)
            return result;
        if (!node.IsSequence)
        {
            Diagnostics.Error(node, $"{path}: expected a list (lines starting with '- '), got {node.Describe()}");
            return result;
        }
        for (var i = 0; i < node.Items.Count; i++)
        {
            if (String(node.Items[i], $"{path}[{i}]") is { } text)
                result.Add((text, node.Items[i]));
        }
        return result;
    }

    /// <summary>Replaces each <c>${env.NAME}</c>; an unset variable is an error (llama-swap refuses to start too).</summary>
    public string ExpandEnvironment(string text, YamlNode at, string path)
    {
        const string prefix = "${env.";
        var start = text.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0)
            return text;
        var builder = new StringBuilder(text.Length);
        var copied = 0;
        while (start >= 0)
        {
            var close = text.IndexOf('}', start);
            if (close < 0)
                break;
            var name = text.Substring(start + prefix.Length, close - start - prefix.Length);
            if (IsEnvironmentName(name))
            {
                // Unset: reported, and the reference stays so later checks do not trip over an empty value.
                if (environment(name) is { } value)
                {
                    builder.Append(text, copied, start - copied).Append(value);
                    copied = close + 1;
                }
                else
                    Diagnostics.Error(at, $"{path}: environment variable '{name}' is not set (used as ${{env.{name}}})");
            }
            start = text.IndexOf(prefix, close, StringComparison.Ordinal);
        }
        return builder.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>True when the whole scalar is one <c>${env.NAME}</c> (its value then takes the type its text has, as in llama-swap).</summary>
    public static bool IsWholeEnvironmentReference(string text) =>
        text.StartsWith("${env.", StringComparison.Ordinal) && text.EndsWith('}') && text.IndexOf('}') == text.Length - 1
        && IsEnvironmentName(text[6..^1]);

    private static bool IsEnvironmentName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.AsSpan().IndexOfAnyExcept(EnvironmentNameChars) < 0;

    private static readonly System.Buffers.SearchValues<char> EnvironmentNameChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    private static string Range(long min, long max) => max == long.MaxValue ? $"must be at least {min}" : $"{min}..{max}";
}
