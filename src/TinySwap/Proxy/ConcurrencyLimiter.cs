using TinySwap.Http;
using System.Collections.Concurrent;
using TinySwap.Config;

namespace TinySwap.Proxy;

/// <summary>
/// Per-model cap on requests in flight (<c>concurrencyLimit</c>; 0 means unlimited), checked before the request waits
/// for its model: a refused request gets 429 with Retry-After at once. Lock-free; counters are keyed by model id and
/// outlive config reloads, so requests in flight across a reload are still counted (a new limit applies to new entries).
/// </summary>
internal sealed class ConcurrencyLimiter(TimeSpan retryAfter)
{
    private readonly ConcurrentDictionary<string, InFlightCounter> counters = new(StringComparer.Ordinal);

    public ConcurrencyLimiter() : this(TimeSpan.FromSeconds(1)) { }

    /// <summary>What to put in Retry-After on refusal (see <see cref="OpenAiError.RetryAfterSeconds"/>).</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>Takes a slot unless the model is at its limit. Release the slot exactly once when the response ends.</summary>
    /// <example><c>if (!limiter.TryEnter(model, out var slot)) return TooMany(limiter.RetryAfter); try { … } finally { slot.Release(); }</c></example>
    public bool TryEnter(ModelConfig model, out ConcurrencySlot slot)
    {
        slot = default;
        var limit = model.ConcurrencyLimit;
        if (limit <= 0)
            return true;

        var counter = counters.GetOrAdd(model.Id, static _ => new InFlightCounter());
        // Compare-and-swap rather than increment-then-undo, so the count never exceeds the limit even for an instant.
        var current = Volatile.Read(ref counter.Value);
        while (true)
        {
            if (current >= limit)
                return false;
            var seen = Interlocked.CompareExchange(ref counter.Value, current + 1, current);
            if (seen == current)
                break;
            current = seen;
        }
        slot = new ConcurrencySlot(counter);
        return true;
    }

    /// <summary>Requests currently counted for the model (only models with a limit are counted).</summary>
    public int InFlight(string modelId) => counters.TryGetValue(modelId, out var counter) ? Volatile.Read(ref counter.Value) : 0;
}

/// <summary>A counter cell; a class so a slot can point at it without a dictionary lookup on release.</summary>
internal sealed class InFlightCounter
{
    public int Value;
}

/// <summary>A taken slot (default when the model has no limit). Copies share the slot: release it once.</summary>
internal readonly struct ConcurrencySlot(InFlightCounter? counter)
{
    public void Release()
    {
        if (counter is not null)
            Interlocked.Decrement(ref counter.Value);
    }
}
