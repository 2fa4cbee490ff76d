namespace TinySwap.Observability;

/// <summary>
/// The one seam every observation goes through: the front door, the proxy and the router publish here, and each
/// subscribed <see cref="IObservationSink"/> hears it. Subscribers are an immutable array swapped on change, so
/// publishing is a loop over a field read, with no lock and no allocation.
/// </summary>
internal sealed class Observations
{
    private IObservationSink[] _sinks = [];

    /// <summary>A hub nobody listens to (tests and tools that build parts alone).</summary>
    public static Observations None { get; } = new();

    public void Subscribe(IObservationSink sink)
    {
        IObservationSink[] current, next;
        do
        {
            current = Volatile.Read(ref _sinks);
            next = [.. current, sink];
        }
        while (Interlocked.CompareExchange(ref _sinks, next, current) != current);
    }

    /// <summary>For a consumer that goes away (an events stream whose client left or fell behind).</summary>
    public void Unsubscribe(IObservationSink sink)
    {
        IObservationSink[] current, next;
        do
        {
            current = Volatile.Read(ref _sinks);
            next = Array.FindAll(current, s => s != sink);
        }
        while (Interlocked.CompareExchange(ref _sinks, next, current) != current);
    }

    public void RequestStarted(RequestTrace trace)
    {
        foreach (var sink in Volatile.Read(ref _sinks))
            sink.RequestStarted(trace);
    }

    public void RequestFinished(RequestTrace trace, int status, long bytes, long endTimestamp)
    {
        foreach (var sink in Volatile.Read(ref _sinks))
            sink.RequestFinished(trace, status, bytes, endTimestamp);
    }

    public void SwapStarted(string model, ReadOnlySpan<string> evicted)
    {
        foreach (var sink in Volatile.Read(ref _sinks))
            sink.SwapStarted(model, evicted);
    }

    public void SwapFinished(string model, TimeSpan duration)
    {
        foreach (var sink in Volatile.Read(ref _sinks))
            sink.SwapFinished(model, duration);
    }

    public void LoadFailed(string model, string reason)
    {
        foreach (var sink in Volatile.Read(ref _sinks))
            sink.LoadFailed(model, reason);
    }

    public void Evicted(string model, string reason)
    {
        foreach (var sink in Volatile.Read(ref _sinks))
            sink.Evicted(model, reason);
    }
}
