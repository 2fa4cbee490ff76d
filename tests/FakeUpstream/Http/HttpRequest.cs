namespace FakeUpstream.Http;

/// <summary>One parsed request head; the body is read separately through <see cref="MessageBody"/>.</summary>
internal sealed class HttpRequest
{
    public required string Method { get; init; }
    public required string Target { get; init; }
    public required string Path { get; init; }
    public required string Query { get; init; }
    public required string Version { get; init; }
    public required List<KeyValuePair<string, string>> Headers { get; init; }

    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
                return value;
        }
        return null;
    }

    /// <summary>True when the header holds <paramref name="token"/> in its comma-separated list (RFC 9110 §5.6.1).</summary>
    public bool HeaderHasToken(string name, string token)
    {
        foreach (var (key, value) in Headers)
        {
            if (!key.Equals(name, StringComparison.OrdinalIgnoreCase))
                continue;
            foreach (var part in value.Split(','))
            {
                if (part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
                    return true;
            }
        }
        return false;
    }

    /// <summary>HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it (RFC 9112 §9.3).</summary>
    public bool KeepAlive => Version == "HTTP/1.0"
        ? HeaderHasToken("Connection", "keep-alive")
        : !HeaderHasToken("Connection", "close");

    public string? QueryValue(string name)
    {
        foreach (var pair in Query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            if (key == name)
                return eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
        }
        return null;
    }
}
