using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>
/// A model's or peer's `apiKey` is sent as the value of `Authorization: Bearer` and `x-api-key`. CR or LF would split
/// the request head, other control bytes and non-ASCII are refused by servers (RFC 9110 §5.5), so such a key could
/// never be sent: it is a configuration error at the key's position rather than a key silently left out.
/// </summary>
internal static class UpstreamApiKey
{
    /// <summary>The expanded key, or null when it is empty or has been reported as unusable.</summary>
    public static string? Check(string? key, YamlNode node, string path, DiagnosticBag diagnostics)
    {
        if (string.IsNullOrEmpty(key))
            return null;
        var bad = FirstUnsendable(key);
        if (bad < 0)
            return key;
        diagnostics.Error(node, $"{path}: the key contains {Describe(key[bad])}, which cannot be sent in an HTTP header; use printable ASCII only");
        return null;
    }

    /// <summary>Whether <paramref name="key"/> can go into a header field as it is: non-empty, printable ASCII only.</summary>
    public static bool IsSendable(string key) => key.Length > 0 && FirstUnsendable(key) < 0;

    private static int FirstUnsendable(string key) => key.AsSpan().IndexOfAnyExceptInRange(' ', '~');

    private static string Describe(char c) => c switch
    {
        '\r' => "a carriage return (CR)",
        '\n' => "a line feed (LF)",
        < ' ' or '\x7F' => $"the control character U+{(int)c:X4}",
        _ => $"the non-ASCII character U+{(int)c:X4}",
    };
}
