using YamlDotNet.Core;

namespace TinySwap.Config.Yaml;

internal enum YamlNodeKind { Scalar, Mapping, Sequence }

/// <summary>1-based line and column of a node in the config file.</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    public static SourcePosition From(Mark mark) => new((int)mark.Line, (int)mark.Column);
}

/// <summary>
/// One node of the parsed YAML document, with its position. Built from YamlDotNet parser events so that
/// duplicate keys, merge keys and scalar styles stay visible (the representation model hides or rejects them).
/// </summary>
internal sealed class YamlNode
{
    private YamlNode(YamlNodeKind kind, SourcePosition position)
    {
        Kind = kind;
        Position = position;
    }

    public YamlNodeKind Kind { get; }
    public SourcePosition Position { get; }

    /// <summary>Scalar text as written (after YAML unescaping); empty for collections.</summary>
    public string Text { get; private init; } = "";
    public ScalarStyle Style { get; private init; }

    /// <summary>Explicit tag such as <c>tag:yaml.org,2002:str</c>, or null.</summary>
    public string? Tag { get; private init; }

    /// <summary>Mapping entries in document order, merge keys already applied.</summary>
    public List<KeyValuePair<YamlNode, YamlNode>> Entries { get; } = [];
    public List<YamlNode> Items { get; } = [];

    public bool IsScalar => Kind == YamlNodeKind.Scalar;
    public bool IsMapping => Kind == YamlNodeKind.Mapping;
    public bool IsSequence => Kind == YamlNodeKind.Sequence;

    /// <summary>Quoted and block scalars are always strings; only plain scalars are resolved by the core schema.</summary>
    public bool IsPlain => Kind == YamlNodeKind.Scalar && Style is ScalarStyle.Plain or ScalarStyle.Any;

    /// <summary>`key:` with nothing after it, `~` or `null`.</summary>
    public bool IsNull => Kind == YamlNodeKind.Scalar && ResolvedKind == ScalarKind.Null;

    public ScalarKind ResolvedKind => Kind != YamlNodeKind.Scalar
        ? ScalarKind.String
        : CoreSchema.Resolve(Text, IsPlain, Tag);

    public static YamlNode Scalar(SourcePosition position, string text, ScalarStyle style, string? tag) =>
        new(YamlNodeKind.Scalar, position) { Text = text, Style = style, Tag = tag };

    public static YamlNode Mapping(SourcePosition position) => new(YamlNodeKind.Mapping, position);
    public static YamlNode Sequence(SourcePosition position) => new(YamlNodeKind.Sequence, position);

    public string Describe() => Kind switch
    {
        YamlNodeKind.Mapping => "a mapping",
        YamlNodeKind.Sequence => "a list",
        _ => ResolvedKind switch
        {
            ScalarKind.Null => "nothing",
            ScalarKind.Bool => $"the boolean {Text}",
            ScalarKind.Integer or ScalarKind.Float => $"the number {Text}",
            _ => $"'{Shorten(Text)}'",
        },
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
