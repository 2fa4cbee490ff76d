using System.Buffers;
using System.Text;

namespace TinySwap.Config.Macros;

/// <summary>
/// Finds <c>${name}</c> references. Only names of llama-swap's macro syntax ([A-Za-z0-9_-]+) count; anything else
/// inside <c>${...}</c> (a shell's <c>${HOME:-x}</c>, <c>${env.X}</c>) is left as written.
/// </summary>
internal static class MacroReferences
{
    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    public static bool IsName(ReadOnlySpan<char> name) => !name.IsEmpty && name.IndexOfAnyExcept(NameChars) < 0;

    /// <summary>Replaces each reference with <paramref name="lookup"/>'s answer; null keeps the reference as written.</summary>
    public static string Replace(string text, Func<string, string?> lookup)
    {
        var start = text.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
            return text;
        var builder = new StringBuilder(text.Length + 16);
        var copied = 0;
        while (start >= 0)
        {
            var close = text.IndexOf('}', start + 2);
            if (close < 0)
                break;
            var name = text.AsSpan(start + 2, close - start - 2);
            if (IsName(name) && lookup(name.ToString()) is { } replacement)
            {
                builder.Append(text, copied, start - copied).Append(replacement);
                copied = close + 1;
                start = text.IndexOf("${", close + 1, StringComparison.Ordinal);
            }
            else
            {
                start = text.IndexOf("${", start + 2, StringComparison.Ordinal);
            }
        }
        return builder.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>True when the text is exactly one reference, e.g. <c>${temp}</c>.</summary>
    public static bool TryWhole(string text, out string name)
    {
        name = "";
        if (text.Length < 4 || !text.StartsWith("${", StringComparison.Ordinal) || !text.EndsWith('}'))
            return false;
        var inner = text.AsSpan(2, text.Length - 3);
        if (!IsName(inner))
            return false;
        name = inner.ToString();
        return true;
    }

    public static bool Contains(string text, string name) => text.Contains("${" + name + "}", StringComparison.Ordinal);
}
