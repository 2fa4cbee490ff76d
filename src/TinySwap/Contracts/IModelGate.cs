using TinySwap.Config;

namespace TinySwap.Contracts;

/// <summary>
/// What the proxy asks before forwarding: "let me send one request to this model". The router implements it;
/// until then a gate over already-running upstreams does.
/// </summary>
internal interface IModelGate
{
    /// <summary>
    /// Completes when <paramref name="model"/> is ready for one more request (a lease that must be released exactly once
    /// when the response ends, however it ends) or when it is refused. Cancelled when the client goes away.
    /// </summary>
    ValueTask<GateResult> AcquireAsync(ModelConfig model, IWaitObserver? observer, CancellationToken aborted);

    /// <summary>
    /// A lease only if <paramref name="model"/> is serving right now: never starts, queues for or swaps anything
    /// (<c>upstream.ignorePaths</c>). Release it exactly once, as one from <see cref="AcquireAsync"/>.
    /// </summary>
    bool TryAcquireRunning(ModelConfig model, out ModelLease lease);

    /// <summary>Whether <paramref name="model"/> is serving right now; it may stop the next instant (<c>compat.ignoreWebsockets</c>).</summary>
    bool IsRunning(ModelConfig model);
}

/// <summary>Told about progress while a request waits (the loading stream shows it).</summary>
internal interface IWaitObserver
{
    void QueuePosition(int position);
    void Loading(string modelId, TimeSpan? estimatedRemaining);
}

/// <summary>Lets the gate learn that a granted request has ended.</summary>
internal interface ILeaseOwner
{
    void Release(ModelConfig model, long ticket);
}

/// <summary>Permission to send requests to one model; <see cref="Release"/> exactly once.</summary>
internal readonly struct ModelLease(ModelConfig model, ILeaseOwner? owner, long ticket)
{
    public ModelConfig Model { get; } = model;
    public void Release() => owner?.Release(Model, ticket);
}

/// <summary>Why a request cannot be served, as the status and OpenAI-shaped error it becomes.</summary>
internal sealed record GateRefusal(int StatusCode, string Message, string ErrorType, string? ErrorCode = null, TimeSpan? RetryAfter = null);

/// <summary>Either a lease or a refusal.</summary>
internal readonly struct GateResult
{
    private GateResult(ModelLease lease, GateRefusal? refusal) { Lease = lease; Refusal = refusal; }
    public ModelLease Lease { get; }
    public GateRefusal? Refusal { get; }
    public bool IsGranted => Refusal is null;
    public static GateResult Granted(ModelLease lease) => new(lease, null);
    public static GateResult Refused(GateRefusal refusal) => new(default, refusal);
}
