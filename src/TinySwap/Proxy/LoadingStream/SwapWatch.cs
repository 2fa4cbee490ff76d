using System.Collections.Concurrent;
using TinySwap.Observability;

namespace TinySwap.Proxy.LoadingStream;

/// <summary>
/// Which models the swap to a model is stopping, for the loading stream to tell its waiting clients (the router's
/// wait notices name only the model being loaded). Kept from the swap's start until it ends.
/// </summary>
internal sealed class SwapWatch : IObservationSink
{
    private readonly ConcurrentDictionary<string, string[]> _stopping = new(StringComparer.Ordinal);

    /// <summary>The models being stopped to make room for <paramref name="model"/>; empty when none.</summary>
    public string[] StoppingFor(string model) => _stopping.TryGetValue(model, out var evicted) ? evicted : [];

    public void SwapStarted(string model, ReadOnlySpan<string> evicted)
    {
        if (evicted.IsEmpty)
            _stopping.TryRemove(model, out _);
        else
            _stopping[model] = evicted.ToArray();
    }

    public void SwapFinished(string model, TimeSpan duration) => _stopping.TryRemove(model, out _);

    public void LoadFailed(string model, string reason) => _stopping.TryRemove(model, out _);
}
