using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace TinySwap.Proxy;

/// <summary>
/// `apiKeys`: when any are configured every route but /health needs one, as `Authorization: Bearer KEY` or
/// `x-api-key: KEY` (the header Anthropic-style clients send), as in llama-swap.
/// </summary>
internal sealed class ApiKeys(ImmutableArray<string> keys)
{
    private readonly byte[][] _keys = Array.ConvertAll([.. keys], Encoding.UTF8.GetBytes);

    public bool IsRequired => _keys.Length > 0;

    public bool Accepts(ReadOnlySpan<byte> authorization, ReadOnlySpan<byte> xApiKey)
    {
        if (authorization.Length > 7 && Ascii.EqualsIgnoreCase(authorization[..7], "Bearer "u8))
            return Matches(authorization[7..].Trim((byte)' '));
        return !xApiKey.IsEmpty && Matches(xApiKey);
    }

    private bool Matches(ReadOnlySpan<byte> candidate)
    {
        var found = false;
        // Fixed-time per key so the answer's timing does not reveal how much of a key matched.
        foreach (var key in _keys)
            found |= CryptographicOperations.FixedTimeEquals(key, candidate);
        return found;
    }
}
