using TinySwap.Config;
using TinySwap.Observability;

namespace TinySwap.Router;

/// <summary>Router settings that are not (yet) part of <see cref="TinySwapConfig"/>, plus the seams tests use.</summary>
internal sealed record RouterOptions
{
    /// <summary>Wait before the first automatic restart after a failed start; doubles with each failure in a row.</summary>
    public TimeSpan RestartBackoffInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait between automatic restarts. 60 s, also because SDKs (openai's among them) honour a
    /// Retry-After only below a minute and fall back to their own short backoff above it.
    /// </summary>
    public TimeSpan RestartBackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether sleeping models count as running for the planner (proposed config key `countSleeping`).</summary>
    public bool CountSleeping { get; init; }

    /// <summary>Retry-After for a refusal when nothing better is known (no load estimate yet).</summary>
    public TimeSpan DefaultRetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Clock for TTLs, queue timeouts, minActive and the restart backoff; tests pass a manual one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Chooses the eviction policy; the default reads the config (<see cref="SwapPlanners.FromConfig"/>).</summary>
    public Func<TinySwapConfig, RouterOptions, ISwapPlanner>? PlannerFactory { get; init; }

    /// <summary>Where swaps, failed loads and evictions are published (metrics, events); called on the loop thread.</summary>
    public Observations Events { get; init; } = Observations.None;

    /// <summary>
    /// Called on the loop thread after an input may have changed what <see cref="ModelRouter.Snapshot"/> shows (the
    /// events stream diffs it). Must be quick and never block.
    /// </summary>
    public Action? StateChanged { get; init; }

    /// <summary>Called on the loop thread after each message has been handled (tests wait on it instead of sleeping).</summary>
    public Action<RouterMessage>? OnMessageProcessed { get; init; }
}
