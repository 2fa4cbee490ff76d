using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace TinySwap.Config.Yaml;

/// <summary>
/// Turns YAML text into a <see cref="YamlNode"/> tree from parser events. We walk events ourselves because the
/// representation model throws on the first duplicate key (we want every duplicate reported) and loses scalar styles
/// (we need them: a quoted "8080" is a string, a plain 8080 a number). Anchors, aliases and `&lt;&lt;` merge keys
/// are resolved here, as go-yaml does for llama-swap users who share settings between models.
/// </summary>
internal sealed class YamlTreeReader
{
    private const string MergeKey = "<<";

    private readonly Scanner _scanner;
    private readonly IParser _parser;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);

    private YamlTreeReader(string text, DiagnosticBag diagnostics)
    {
        _scanner = new Scanner(new StringReader(text));
        _parser = new Parser(_scanner);
        _diagnostics = diagnostics;
    }

    /// <summary>The document's root node, or null (with an error recorded) when the text is not one YAML document.</summary>
    public static YamlNode? Read(string text, DiagnosticBag diagnostics)
    {
        var reader = new YamlTreeReader(text, diagnostics);
        try
        {
            return reader.ReadStream();
        }
        catch (YamlException e)
        {
            diagnostics.Error(SourcePosition.From(e.Start), "YAML syntax error: " + WithoutMarks(e.Message));
            return null;
        }
        // YamlDotNet's scanner has internal states it leaves by throwing InvalidOperationException instead of a
        // YamlException (e.g. a flow sequence `[a` left open across a line break); the input is still what is wrong,
        // so it is a syntax error at the place the scanner stopped, never a crash.
        catch (InvalidOperationException)
        {
            diagnostics.Error(SourcePosition.From(reader._scanner.CurrentPosition),
                "YAML syntax error: the text cannot be parsed from here on (an unclosed '[', '{' or quote above?)");
            return null;
        }
    }

    private YamlNode? ReadStream()
    {
        Next(); // StreamStart
        Next();
        if (_parser.Current is StreamEnd)
        {
            _diagnostics.FileError("the config is empty; it needs at least a `models:` mapping");
            return null;
        }
        Next(); // DocumentStart
        var root = ReadNode();
        Next(); // DocumentEnd
        if (_parser.Current is DocumentStart second)
            _diagnostics.Error(SourcePosition.From(second.Start), "only one YAML document is allowed (found a second '---')");
        return root;
    }

    private YamlNode ReadNode()
    {
        var current = _parser.Current!;
        var position = SourcePosition.From(current.Start);
        switch (current)
        {
            case AnchorAlias alias:
                Next();
                if (_anchors.TryGetValue(alias.Value.Value, out var target))
                    return target;
                _diagnostics.Error(position, $"unknown anchor '*{alias.Value.Value}'");
                return YamlNode.Scalar(position, "", ScalarStyle.Plain, null);

            case Scalar scalar:
                Next();
                return Remember(scalar, YamlNode.Scalar(position, scalar.Value, scalar.Style, scalar.Tag.IsEmpty ? null : scalar.Tag.Value));

            case SequenceStart start:
            {
                var sequence = Remember(start, YamlNode.Sequence(position));
                Next();
                while (_parser.Current is not SequenceEnd)
                    sequence.Items.Add(ReadNode());
                Next();
                return sequence;
            }

            case MappingStart start:
            {
                var mapping = Remember(start, YamlNode.Mapping(position));
                Next();
                ReadEntries(mapping);
                Next();
                return mapping;
            }

            default:
                throw new YamlException(current.Start, current.End, "unexpected " + current.GetType().Name);
        }
    }

    private void ReadEntries(YamlNode mapping)
    {
        var seen = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        List<YamlNode>? merges = null;
        while (_parser.Current is not MappingEnd)
        {
            var key = ReadNode();
            var value = ReadNode();
            if (key.IsPlain && key.Text == MergeKey)
            {
                (merges ??= []).Add(value);
                continue;
            }
            if (key.IsScalar)
            {
                if (seen.TryGetValue(key.Text, out var first))
                {
                    _diagnostics.Error(key, $"duplicate key '{key.Text}' (first set at line {first.Position.Line})");
                    continue;
                }
                seen.Add(key.Text, key);
            }
            mapping.Entries.Add(new(key, value));
        }
        if (merges is not null)
            ApplyMerges(mapping, seen, merges);
    }

    // YAML merge key (yaml.org/type/merge.html): keys written in the mapping win, then earlier merged maps over later ones.
    private void ApplyMerges(YamlNode mapping, Dictionary<string, YamlNode> seen, List<YamlNode> merges)
    {
        foreach (var merge in merges)
        {
            IEnumerable<YamlNode> sources = merge.IsSequence ? merge.Items : [merge];
            foreach (var source in sources)
            {
                if (!source.IsMapping)
                {
                    _diagnostics.Error(source, "a '<<' merge key needs a mapping or a list of mappings (usually an alias like *defaults)");
                    continue;
                }
                foreach (var entry in source.Entries)
                {
                    if (entry.Key.IsScalar && seen.TryAdd(entry.Key.Text, entry.Key))
                        mapping.Entries.Add(entry);
                }
            }
        }
    }

    private YamlNode Remember(NodeEvent nodeEvent, YamlNode node)
    {
        if (!nodeEvent.Anchor.IsEmpty)
            _anchors[nodeEvent.Anchor.Value] = node;
        return node;
    }

    private void Next()
    {
        if (!_parser.MoveNext())
            throw new YamlException(_scanner.CurrentPosition, _scanner.CurrentPosition, "the file ends in the middle of a value");
    }

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; we print our own position.
    private static string WithoutMarks(string message)
    {
        if (!message.StartsWith("(Line:", StringComparison.Ordinal))
            return message;
        var end = message.IndexOf("): ", StringComparison.Ordinal);
        return end < 0 ? message : message[(end + 3)..];
    }
}
