using System.Text.Json;

namespace TinySwap.Http.Parsing;

/// <summary>Small JSON checks on configuration text.</summary>
internal static class JsonText
{
    /// <summary>Nesting the JSON readers accept; deeper input is treated as invalid.</summary>
    public const int MaxDepth = 256;

    /// <summary>True when <paramref name="utf8"/> is exactly one JSON value (surrounding whitespace allowed).</summary>
    public static bool IsSingleValue(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read())
                return false;
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
