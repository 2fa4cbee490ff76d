using YamlDotNet.Core;

namespace TinySwap.Config.Yaml;

/// <summary>Maps a line/column inside a scalar's value back to the file, where the scalar's style allows it.</summary>
internal static class ScalarPosition
{
    /// <summary>The file position of (line, column) of the value, both 1-based, or null when it cannot be told (folded text).</summary>
    public static SourcePosition? Locate(YamlNode scalar, string[] sourceLines, int line, int column)
    {
        var value = scalar.Text;
        switch (scalar.Style)
        {
            // `cmd: |` — value line N is file line (indicator line + N), shifted right by the block's indentation.
            case ScalarStyle.Literal:
            {
                var fileLine = scalar.Position.Line + line;
                var valueLines = value.Split('\n');
                if (fileLine > sourceLines.Length || line > valueLines.Length)
                    return null;
                var source = sourceLines[fileLine - 1].TrimEnd('\r');
                var text = valueLines[line - 1];
                if (!source.EndsWith(text, StringComparison.Ordinal))
                    return null;
                return new(fileLine, source.Length - text.Length + column);
            }
            case ScalarStyle.Plain or ScalarStyle.Any when line == 1 && !value.Contains('\n'):
                return new(scalar.Position.Line, scalar.Position.Column + column - 1);
            case ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted when line == 1 && !value.Contains('\n'):
                return new(scalar.Position.Line, scalar.Position.Column + column);
            default:
                return null;
        }
    }
}
