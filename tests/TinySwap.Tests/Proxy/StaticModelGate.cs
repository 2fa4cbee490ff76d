using TinySwap.Http;
using System.Collections.Concurrent;
using TinySwap.Config;
using TinySwap.Contracts;

namespace TinySwap.Tests.Proxy;

/// <summary>
/// The gate over upstreams that are already running (started by hand or by a test): every model of the config is
/// granted at once, nothing is started, waited for or evicted. Used in proxy tests; it also
/// reports every model as Ready with its live in-flight count, so /v1/models and /running work on top of it.
/// </summary>
internal sealed class StaticModelGate : IModelGate, ILeaseOwner, IModelStatusSource
{
    private readonly Dictionary<string, ModelConfig> models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, string> outstanding = new();
    private readonly ConcurrentDictionary<string, int> inFlight = new(StringComparer.Ordinal);
    private long nextTicket;

    public StaticModelGate(TinySwapConfig config)
    {
        foreach (var model in config.Models)
            models.Add(model.Id, model);
    }

    /// <example><c>var result = await gate.AcquireAsync(model, null, aborted); if (result.IsGranted) try { … } finally { result.Lease.Release(); }</c></example>
    public ValueTask<GateResult> AcquireAsync(ModelConfig model, IWaitObserver? observer, CancellationToken aborted)
    {
        if (aborted.IsCancellationRequested)
            return ValueTask.FromCanceled<GateResult>(aborted);
        if (!models.ContainsKey(model.Id))
        {
            return ValueTask.FromResult(GateResult.Refused(new GateRefusal(
                404, $"model '{model.Id}' is not served here", OpenAiError.ModelNotFound.Type, OpenAiError.ModelNotFound.Code)));
        }

        if (Stopped.TryRemove(model.Id, out _))
            Started.Enqueue(model.Id);
        return ValueTask.FromResult(GateResult.Granted(Grant(model)));
    }

    private ModelLease Grant(ModelConfig model)
    {
        var ticket = Interlocked.Increment(ref nextTicket);
        outstanding[ticket] = model.Id;
        inFlight.AddOrUpdate(model.Id, 1, static (_, count) => count + 1);
        return new ModelLease(model, this, ticket);
    }

    /// <summary>Models reported stopped: the "only if running" calls refuse them; AcquireAsync records a start and grants.</summary>
    public ConcurrentDictionary<string, bool> Stopped { get; } = new(StringComparer.Ordinal);

    /// <summary>Models AcquireAsync had to start (they were in <see cref="Stopped"/>), in order.</summary>
    public ConcurrentQueue<string> Started { get; } = new();

    public bool TryAcquireRunning(ModelConfig model, out ModelLease lease)
    {
        lease = default;
        if (!IsRunning(model))
            return false;
        lease = Grant(model);
        return true;
    }

    public bool IsRunning(ModelConfig model) => models.ContainsKey(model.Id) && !Stopped.ContainsKey(model.Id);

    /// <summary>Ends a lease. Releasing one twice is a proxy bug, so it throws rather than skewing the counts.</summary>
    public void Release(ModelConfig model, long ticket)
    {
        if (!outstanding.TryRemove(ticket, out var id))
            throw new InvalidOperationException($"lease {ticket} of model '{model.Id}' was released twice or never granted");
        inFlight.AddOrUpdate(id, 0, static (_, count) => count - 1);
    }

    /// <summary>Leases granted and not yet released for a model.</summary>
    public int InFlight(string modelId) => inFlight.GetValueOrDefault(modelId);

    public IReadOnlyList<ModelStatus> Snapshot()
    {
        var snapshot = new List<ModelStatus>(models.Count);
        foreach (var model in models.Values)
            snapshot.Add(new ModelStatus(model.Id, ModelState.Ready, null, InFlight(model.Id), 0, null));
        snapshot.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return snapshot;
    }
}
