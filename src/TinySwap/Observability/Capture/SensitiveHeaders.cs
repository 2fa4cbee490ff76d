using System.Text;

namespace TinySwap.Observability.Capture;

/// <summary>
/// Fields whose values are credentials: tinyswap's own <c>apiKeys</c> arrive in <c>Authorization</c> or
/// <c>x-api-key</c>, a model's <c>apiKey</c> and cookies in the others. A capture keeps the name (so a reader sees the
/// client sent one) and never the value.
/// </summary>
internal static class SensitiveHeaders
{
    public const string Redacted = "[REDACTED]";

    private static readonly byte[][] Names =
    [
        "authorization"u8.ToArray(), "proxy-authorization"u8.ToArray(), "x-api-key"u8.ToArray(), "api-key"u8.ToArray(),
        "cookie"u8.ToArray(), "set-cookie"u8.ToArray(),
    ];

    public static bool Contains(ReadOnlySpan<byte> name)
    {
        foreach (var sensitive in Names)
        {
            if (sensitive.Length == name.Length && Ascii.EqualsIgnoreCase(name, sensitive))
                return true;
        }
        return false;
    }
}
