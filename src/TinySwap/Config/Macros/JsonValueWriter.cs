using System.Buffers;
using System.Text;
using System.Text.Json;
using TinySwap.Config.Yaml;

namespace TinySwap.Config.Macros;

/// <summary>
/// Turns an arbitrary YAML value (metadata, a setParams entry) into JSON text, by hand with Utf8JsonWriter.
/// Plain scalars take their core-schema type; quoted ones are strings; a string that is exactly <c>${name}</c>
/// takes the macro's type (llama-swap's type-preserving substitution); other strings get macros expanded.
/// </summary>
internal sealed class JsonValueWriter(NodeReader reader, MacroExpander expander)
{
    /// <summary>JSON text of the node, or null when something in it could not be converted (errors recorded).</summary>
    public string? ToJson(YamlNode node, MacroScope scope, string path)
    {
        var errorsBefore = reader.Diagnostics.ErrorCount;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, node, scope, path);
        return reader.Diagnostics.ErrorCount == errorsBefore ? Encoding.UTF8.GetString(buffer.WrittenSpan) : null;
    }

    private void Write(Utf8JsonWriter writer, YamlNode node, MacroScope scope, string path)
    {
        switch (node.Kind)
        {
            case YamlNodeKind.Mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in node.Entries)
                {
                    if (!key.IsScalar)
                    {
                        reader.Diagnostics.Error(key, $"{path}: keys must be plain names, got {key.Describe()}");
                        continue;
                    }
                    writer.WritePropertyName(key.Text);
                    Write(writer, value, scope, NodeReader.Join(path, key.Text));
                }
                writer.WriteEndObject();
                break;
            case YamlNodeKind.Sequence:
                writer.WriteStartArray();
                for (var i = 0; i < node.Items.Count; i++)
                    Write(writer, node.Items[i], scope, $"{path}[{i}]");
                writer.WriteEndArray();
                break;
            default:
                WriteScalar(writer, node, scope, path);
                break;
        }
    }

    private void WriteScalar(Utf8JsonWriter writer, YamlNode node, MacroScope scope, string path)
    {
        if (node.IsPlain && node.ResolvedKind != ScalarKind.String)
        {
            WriteTyped(writer, node.ResolvedKind, node.Text, node, path);
            return;
        }
        var text = reader.ExpandEnvironment(node.Text, node, path);
        // `port: ${env.PORT}` unquoted: llama-swap substitutes env text before parsing YAML, so the value keeps the type its text has.
        if (node.IsPlain && NodeReader.IsWholeEnvironmentReference(node.Text))
        {
            WriteTyped(writer, CoreSchema.Resolve(text, plain: true, tag: null), text, node, path);
            return;
        }
        if (MacroReferences.TryWhole(text, out var name))
        {
            if (expander.Typed(name, scope, node, path) is { } value)
                WriteTyped(writer, value.Kind, value.Text, node, path);
            else
                writer.WriteNullValue();
            return;
        }
        writer.WriteStringValue(expander.Expand(text, scope, node, path));
    }

    private void WriteTyped(Utf8JsonWriter writer, ScalarKind kind, string text, YamlNode node, string path)
    {
        switch (kind)
        {
            case ScalarKind.Null:
                writer.WriteNullValue();
                break;
            case ScalarKind.Bool:
                writer.WriteBooleanValue(CoreSchema.TryBool(text, out var b) && b);
                break;
            case ScalarKind.Integer when CoreSchema.TryInteger(text, out var integer):
                writer.WriteNumberValue(integer);
                break;
            case ScalarKind.Integer or ScalarKind.Float:
                if (CoreSchema.TryFloat(text, out var number) && double.IsFinite(number))
                    writer.WriteNumberValue(number);
                else
                {
                    reader.Diagnostics.Error(node, $"{path}: {text} has no JSON form (infinity and NaN are not JSON numbers); quote it to send a string");
                    writer.WriteNullValue();
                }
                break;
            default:
                writer.WriteStringValue(text);
                break;
        }
    }
}
