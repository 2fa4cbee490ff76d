using System.Diagnostics;

namespace TinySwap.Observability;

/// <summary>
/// What is known about one request while it runs: filled in by the layers it passes (the front door sets the route,
/// the proxy the model, the forwarder the first byte and the token counts) and handed to every
/// <see cref="IObservationSink"/> when it ends. One per connection, reset per request, so tracing allocates nothing.
/// </summary>
internal sealed class RequestTrace(Action abort)
{
    private static long s_lastId;

    /// <summary>Process-wide request number; the id of <c>POST /api/inflight/{id}/cancel</c>.</summary>
    public long Id { get; private set; }

    public long StartTimestamp { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Bounded label: one of the route table's paths, or <see cref="OtherRoute"/>.</summary>
    public string Route { get; set; } = OtherRoute;

    /// <summary>The configured model id the request was routed to; null when none was found.</summary>
    public string? Model { get; set; }

    /// <summary>When the first response body byte came from the upstream (0: none did).</summary>
    public long FirstByteTimestamp { get; private set; }

    /// <summary>When the request reached the model gate (0: it never did: an API route, or refused before).</summary>
    public long GateTimestamp { get; set; }

    /// <summary>When the gate answered, with a lease or a refusal: the queue wait ends here.</summary>
    public long GrantedTimestamp { get; set; }

    public UsageScanner Usage { get; } = new();

    /// <summary>Records the request and its answer for <c>captureBuffer</c>; null (the forwarder skips it) while captures are off.</summary>
    public Capture.CaptureRecorder? Capture { get; set; }

    /// <summary>The label for paths outside the route table: clients choose paths, so they never become labels.</summary>
    public const string OtherRoute = "other";

    public void Begin(long timestamp, DateTimeOffset now)
    {
        Id = Interlocked.Increment(ref s_lastId);
        StartTimestamp = timestamp;
        StartedAt = now;
        Route = OtherRoute;
        Model = null;
        FirstByteTimestamp = 0;
        GrantedTimestamp = 0;
        GateTimestamp = 0;
        Usage.Reset();
    }

    public void FirstByte()
    {
        if (FirstByteTimestamp == 0)
            FirstByteTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Ends the request's connection: the one way an operator cancels it (the upstream then sees its client go).</summary>
    public void Abort() => abort();

    public static double Seconds(long from, long to) => from == 0 || to < from ? 0 : (double)(to - from) / Stopwatch.Frequency;
}
