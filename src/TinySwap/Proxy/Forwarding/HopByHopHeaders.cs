using System.Text;
using TinySwap.Http.Parsing;

namespace TinySwap.Proxy.Forwarding;

/// <summary>
/// Fields that describe one connection, not the message (RFC 9110 §7.6.1): never forwarded in either direction,
/// nor is any field the Connection field names.
/// </summary>
internal static class HopByHopHeaders
{
    private static readonly byte[][] s_names =
    [
        "connection"u8.ToArray(),
        "keep-alive"u8.ToArray(),
        "proxy-connection"u8.ToArray(),
        "te"u8.ToArray(),
        "upgrade"u8.ToArray(),
        "transfer-encoding"u8.ToArray(),
    ];

    public static bool IsHopByHop(ReadOnlySpan<byte> name)
    {
        foreach (var hop in s_names)
        {
            if (hop.Length == name.Length && Ascii.EqualsIgnoreCase(name, hop))
                return true;
        }
        return false;
    }

    /// <summary>True when <paramref name="connectionValue"/> (a Connection field's value) lists <paramref name="name"/>.</summary>
    public static bool IsNominated(ReadOnlySpan<byte> name, ReadOnlySpan<byte> connectionValue)
    {
        foreach (var range in connectionValue.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(HttpCharacters.TrimOws(connectionValue[range]), name))
                return true;
        }
        return false;
    }

    /// <summary>Either of the above: the field stays on this hop.</summary>
    public static bool Skip(ReadOnlySpan<byte> name, ReadOnlySpan<byte> connectionValue) =>
        IsHopByHop(name) || (!connectionValue.IsEmpty && IsNominated(name, connectionValue));
}
