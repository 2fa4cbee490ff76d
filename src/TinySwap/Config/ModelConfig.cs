using System.Collections.Immutable;
using System.Collections.ObjectModel;
using TinySwap.Config.Keys;

namespace TinySwap.Config;

/// <summary>One model after macro expansion and defaults.</summary>
internal sealed record ModelConfig
{
    public required string Id { get; init; }

    /// <summary>argv from `cmd` (split shell-style, never run by a shell). Empty for an externally managed model (wake/sleep only).</summary>
    public ImmutableArray<string> Command { get; init; } = [];

    /// <summary>argv from `cmdStop`; elements may still contain the literal `${PID}`, substituted at stop time. Empty: signal the group.</summary>
    public ImmutableArray<string> StopCommand { get; init; } = [];

    /// <summary>`proxy`: where the model's server listens, e.g. http://127.0.0.1:5800 (path, if any, is a prefix).</summary>
    public required Uri Proxy { get; init; }

    /// <summary>`checkEndpoint`: path probed for readiness; null when `none`.</summary>
    public string? CheckEndpoint { get; init; } = ModelKeys.CheckEndpoint.Default;

    /// <summary>Idle time before unload (model `ttl`, else `globalTTL`); zero means never.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.Zero;

    public ImmutableArray<string> Aliases { get; init; } = [];

    /// <summary>`env`: extra KEY=VALUE pairs for the child, in order.</summary>
    public ImmutableArray<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>`useModelName`: the `model` value the upstream sees instead of the requested one.</summary>
    public string? UseModelName { get; init; }

    public bool Unlisted { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }

    /// <summary>Concurrent requests allowed before 429; zero means unlimited.</summary>
    public int ConcurrencyLimit { get; init; }

    /// <summary>`filters.stripParams`: top-level JSON keys removed from requests (never `model`).</summary>
    public ImmutableArray<string> StripParams { get; init; } = [];

    /// <summary>`filters.setParams`: top-level JSON keys set on requests; each value is UTF-8 JSON text.</summary>
    public ImmutableArray<KeyValuePair<string, string>> SetParams { get; init; } = [];

    /// <summary>`metadata` as JSON text, shown in /v1/models; null when absent.</summary>
    public string? MetadataJson { get; init; }

    public bool SendLoadingState { get; init; }

    /// <summary>`apiKey`: sent to the model's server as `Authorization: Bearer` and `x-api-key`; the client's own key never is.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Grace between the stop signal and SIGKILL.</summary>
    public TimeSpan UnloadTimeout { get; init; } = GlobalKeys.UnloadTimeout.Default;

    public TimeSpan HealthCheckTimeout { get; init; } = GlobalKeys.HealthCheckTimeout.Default;

    public ModelHooks Hooks { get; init; } = ModelHooks.None;
    public TimeSpan HookTimeout { get; init; } = ModelKeys.HookTimeout.Default;
    public TimeSpan AliveInterval { get; init; } = ModelKeys.AliveInterval.Default;

    /// <summary>Per-model resource needs (e.g. vram_mb → 8000) for the resources policy.</summary>
    public IReadOnlyDictionary<string, long> Resources { get; init; } = ReadOnlyDictionary<string, long>.Empty;

    /// <summary>Queue priority: higher is served first among waiters; FIFO within a priority.</summary>
    public int Priority { get; init; }

    /// <summary>Anti-thrash: once serving, keep the model at least this long while others wait.</summary>
    public TimeSpan MinActive { get; init; } = TimeSpan.Zero;

    /// <summary>`compat.ignoreWebsockets`: a WebSocket never starts this model and is not counted as its use.</summary>
    public bool IgnoreWebsockets { get; init; }

    /// <summary>`llamacpp:`: the typed launch with the GGUF facts and memory estimate; null for a `cmd` model.</summary>
    public LlamaCpp.LlamaCppModel? LlamaCpp { get; init; }

    /// <summary>`slots:`: llama-server KV-cache slots restored after start and saved before stop.</summary>
    public LlamaCpp.SlotSettings Slots { get; init; } = TinySwap.LlamaCpp.SlotSettings.None;

    /// <summary>The port allocated for ${PORT}, when the model uses it.</summary>
    public int? Port { get; init; }

    /// <summary>Canonical text of everything that affects the running process; equal fingerprints mean a reload may keep it running.</summary>
    public required string Fingerprint { get; init; }

    public bool IsExternallyManaged => Command.IsEmpty;
}

/// <summary>Shell snippets run through /bin/sh -c at lifecycle points; null when not set.</summary>
internal sealed record ModelHooks(string? AfterHealthy, string? BeforeStop, string? Wake, string? Sleep, string? Alive)
{
    public static readonly ModelHooks None = new(null, null, null, null, null);
    public bool CanSleep => Sleep is not null && Wake is not null;
}
