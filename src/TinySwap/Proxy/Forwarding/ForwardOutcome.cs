using TinySwap.Http.Parsing;

namespace TinySwap.Proxy.Forwarding;

/// <summary>Which side of a forwarded exchange failed (YARP's idea: the failure is a value, one switch answers it).</summary>
internal enum ForwardError : byte
{
    None,
    /// <summary>Reading the client's body failed: malformed, too large, too slow (see the rejection).</summary>
    RequestBody,
    UpstreamConnect,
    UpstreamConnectTimeout,
    /// <summary>Writing the request to the upstream failed.</summary>
    UpstreamSend,
    /// <summary>The upstream's response head was malformed, or the connection ended before it was complete.</summary>
    UpstreamResponse,
    UpstreamResponseTimeout,
    /// <summary>The upstream broke off or garbled the body after the response started.</summary>
    ResponseBodyUpstream,
    /// <summary>Writing the response to the client failed (it went away or reset).</summary>
    ResponseBodyClient,
    /// <summary>The client disconnected.</summary>
    Canceled,
}

/// <summary>
/// How a forward ended. <see cref="StatusCode"/> is what the client was sent (the upstream's status, or ours for a
/// failure answered before the response started), or 0 when the connection was aborted instead.
/// </summary>
internal readonly record struct ForwardOutcome(ForwardError Error, int StatusCode, HttpRejection Rejection = HttpRejection.None, string? Detail = null)
{
    public bool IsSuccess => Error == ForwardError.None;
}
