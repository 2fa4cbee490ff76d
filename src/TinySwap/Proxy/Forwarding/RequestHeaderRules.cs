using System.Text;
using TinySwap.Config;
using TinySwap.Http.Parsing;

namespace TinySwap.Proxy.Forwarding;

/// <summary>
/// Which client credentials stay at tinyswap and which credentials tinyswap adds, as data the forwarder applies while
/// it copies the request head: built once per config and model, nothing allocated per request.
/// </summary>
/// <remarks>
/// <c>Proxy-Authorization</c> is for the proxy it reaches first (RFC 9110 §11.7.2), i.e. us, and never goes on.
/// With <c>apiKeys</c> set, <c>Authorization</c> and <c>x-api-key</c> carry tinyswap's own key, which the model's
/// server has no business seeing. A model with <c>apiKey</c> gets that key in both headers, replacing the client's.
/// Everything else (Cookie included: web UIs behind /upstream log in with it) is forwarded.
/// </remarks>
internal sealed class RequestHeaderRules
{
    // Before the instances below: static fields initialise in textual order.
    private static readonly byte[][] NeverForwarded = ["proxy-authorization"u8.ToArray()];
    private static readonly byte[][] KeyFields = ["authorization"u8.ToArray(), "x-api-key"u8.ToArray()];

    /// <summary>No apiKeys, no model key: the client's Authorization and x-api-key pass through.</summary>
    public static readonly RequestHeaderRules PassClientKeys = new(dropClientKeys: false, apiKey: null);

    /// <summary>apiKeys set, no model key: the client's key headers are ours and stop here.</summary>
    public static readonly RequestHeaderRules KeepClientKeys = new(dropClientKeys: true, apiKey: null);

    private readonly byte[][] _dropped;

    public RequestHeaderRules(bool dropClientKeys, string? apiKey)
    {
        var replaceKeys = apiKey is not null;
        _dropped = dropClientKeys || replaceKeys ? [.. NeverForwarded, .. KeyFields] : NeverForwarded;
        if (apiKey is null)
        {
            Added = [];
            return;
        }
        if (!IsValidKey(apiKey))
            throw new ArgumentException("an apiKey may only hold visible ASCII characters", nameof(apiKey));
        var key = Encoding.ASCII.GetBytes(apiKey);
        Added = [.. "Authorization: Bearer "u8, .. key, .. "\r\nx-api-key: "u8, .. key, .. "\r\n"u8];
    }

    /// <summary>Whether <paramref name="apiKey"/> can be sent as a field value (the config loader refuses any other key).</summary>
    public static bool IsValidKey(string apiKey) => UpstreamApiKey.IsSendable(apiKey);

    /// <summary>Complete header lines (each ending in CRLF) the forwarder appends to the request head.</summary>
    public byte[] Added { get; }

    /// <summary>True for a client field that must not reach the upstream.</summary>
    public bool Drops(ReadOnlySpan<byte> name)
    {
        foreach (var dropped in _dropped)
        {
            if (dropped.Length == name.Length && Ascii.EqualsIgnoreCase(name, dropped))
                return true;
        }
        return false;
    }
}
