namespace TinySwap.Proxy.Forwarding;

/// <summary>
/// How to send one client request upstream; the default forwards it as received. Filled in by the routing glue:
/// <list type="bullet">
/// <item><see cref="PathAndQuery"/> replaces the client's target (the /upstream/{model}/rest route).</item>
/// <item><see cref="Body"/> replaces the client's body, already read, with bytes in memory (a rewritten JSON body);
/// the upstream gets an exact Content-Length.</item>
/// <item><see cref="BodyPrefix"/> is the part of the client's body the glue already consumed from
/// <c>exchange.RequestBody</c> (multipart: buffered until the model field was found); it is sent first and the
/// rest is streamed from the body reader, under the client's own framing.</item>
/// <item><see cref="Headers"/> sets (value) or removes (null value) request fields by name.</item>
/// <item><see cref="HeaderRules"/> keeps client credentials back and adds the model's own.</item>
/// </list>
/// </summary>
internal readonly record struct ForwardRequest
{
    public string? PathAndQuery { get; init; }
    public ReadOnlyMemory<byte>? Body { get; init; }
    public ReadOnlyMemory<byte> BodyPrefix { get; init; }

    /// <summary>Like <see cref="BodyPrefix"/> but too large to hold in memory; used instead of it when set.</summary>
    public IRequestBodyPrefix? SpilledBodyPrefix { get; init; }
    /// <summary>
    /// How many bytes longer (or shorter, negative) <see cref="BodyPrefix"/> is than what it replaced of the client's
    /// body: the multipart useModelName splice. A client Content-Length is adjusted by it so the framing stays exact.
    /// </summary>
    public long BodyLengthChange { get; init; }

    public IReadOnlyList<KeyValuePair<string, string?>>? Headers { get; init; }

    /// <summary>Credentials kept back and added (<see cref="RequestHeaderRules"/>); null: <see cref="RequestHeaderRules.PassClientKeys"/>.</summary>
    public RequestHeaderRules? HeaderRules { get; init; }

    /// <summary>Longest wait for the upstream's response head after the request is sent (504 after it); null: no limit.</summary>
    public TimeSpan? ResponseHeadersTimeout { get; init; }

    /// <summary>
    /// Our own response head is already sent (the loading stream): only a 200 upstream's body is copied through, and a
    /// failure is returned unanswered so the caller ends the stream its own way (the client is gone: aborted as ever).
    /// </summary>
    public bool ContinuesStartedResponse { get; init; }

    /// <summary>
    /// The client asked for a WebSocket (<see cref="WebSocketHandshake"/>, already checked): the upgrade is sent on, and
    /// a 101 from the model turns the exchange into a tunnel that ends when either side closes.
    /// </summary>
    public bool SwitchToWebSocket { get; init; }
}
