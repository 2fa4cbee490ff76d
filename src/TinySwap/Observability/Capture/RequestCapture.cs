namespace TinySwap.Observability.Capture;

/// <summary>
/// One request and the upstream's answer as they passed through, kept for <c>GET /api/captures/{id}</c>: headers
/// with credentials redacted, bodies cut at the per-body limit (<c>*BodyBytes</c> says how long each really was).
/// </summary>
internal sealed record RequestCapture(
    long Id, string? Model, string Method, string Path,
    KeyValuePair<string, string>[] RequestHeaders, byte[] RequestBody, long RequestBodyBytes,
    int ResponseStatus, KeyValuePair<string, string>[] ResponseHeaders, byte[] ResponseBody, long ResponseBodyBytes)
{
    // Object headers, array headers and the strings' own headers, roughly: enough that many tiny captures still
    // count against the budget.
    private const int OverheadBytes = 256;

    public bool RequestBodyTruncated => RequestBodyBytes > RequestBody.Length;
    public bool ResponseBodyTruncated => ResponseBodyBytes > ResponseBody.Length;

    /// <summary>What this capture holds in memory, as charged against <c>captureBuffer</c>.</summary>
    public long SizeBytes { get; } = OverheadBytes + RequestBody.Length + ResponseBody.Length
        + 2L * (Method.Length + Path.Length + (Model?.Length ?? 0)) + HeaderBytes(RequestHeaders) + HeaderBytes(ResponseHeaders);

    private static long HeaderBytes(KeyValuePair<string, string>[] headers)
    {
        long total = 0;
        foreach (var (name, value) in headers)
            total += 2L * (name.Length + value.Length) + 48;
        return total;
    }
}
