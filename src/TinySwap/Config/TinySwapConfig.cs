using System.Collections.Immutable;
using System.Collections.ObjectModel;
using Microsoft.Extensions.Logging;
using TinySwap.Config.Keys;

namespace TinySwap.Config;

/// <summary>A loaded and validated configuration: macros expanded, ports allocated, defaults applied.</summary>
internal sealed record TinySwapConfig
{
    /// <summary>Absolute path of the file this came from (for messages and reloads).</summary>
    public required string SourcePath { get; init; }

    /// <summary>`listen`: one or more HOST:PORT; the CLI's --listen replaces it.</summary>
    public ImmutableArray<string> Listen { get; init; } = [GlobalKeys.Listen.Default];

    public TimeSpan HealthCheckTimeout { get; init; } = GlobalKeys.HealthCheckTimeout.Default;
    public LogLevel LogLevel { get; init; } = GlobalKeys.LogLevel.Default;
    public int StartPort { get; init; } = (int)GlobalKeys.StartPort.Default;

    /// <summary>`globalTTL`: idle time after which a model is unloaded; zero means never.</summary>
    public TimeSpan GlobalTtl { get; init; } = GlobalKeys.GlobalTtl.Default;

    /// <summary>`unloadTimeout`: how long a stop waits after SIGTERM before SIGKILL.</summary>
    public TimeSpan UnloadTimeout { get; init; } = GlobalKeys.UnloadTimeout.Default;

    /// <summary>How long a request may wait for its model before a 503.</summary>
    public TimeSpan QueueTimeout { get; init; } = GlobalKeys.QueueTimeout.Default;

    /// <summary>`drainTimeout`: on SIGTERM/SIGINT, how long in-flight requests may run on before models are stopped anyway.</summary>
    public TimeSpan DrainTimeout { get; init; } = GlobalKeys.DrainTimeout.Default;

    /// <summary>`maxRunning`: null unless the maxRunning policy is chosen.</summary>
    public int? MaxRunning { get; init; }

    /// <summary>`resources`: named budgets (e.g. vram_mb → 24000); empty unless the resources policy is chosen.</summary>
    public IReadOnlyDictionary<string, long> Resources { get; init; } = ReadOnlyDictionary<string, long>.Empty;

    /// <summary>`logBufferKB`: size of each log ring served by /logs (tinyswap's own, each model's).</summary>
    public int LogBufferKB { get; init; } = (int)GlobalKeys.LogBufferKB.Default;

    /// <summary>`countSleeping`: whether sleeping models count against maxRunning/resources (by default they do not).</summary>
    public bool CountSleeping { get; init; }

    /// <summary>`routing.router.use: matrix` (or a top-level `matrix:`): the compiled matrix; null unless chosen.</summary>
    public MatrixPolicy? Matrix { get; init; }

    /// <summary>`captureBuffer`: memory for request/answer captures, in MB; 0 = no captures.</summary>
    public int CaptureBufferMB { get; init; }

    /// <summary>Finished requests the activity list keeps (`metricsMaxInMemory`).</summary>
    public int ActivityEntries { get; init; } = 1000;

    /// <summary>Which planner decides evictions: set by the matrix, `maxRunning:` or `resources:`, else llama-swap's groups.</summary>
    public SwapPolicy Policy =>
        Matrix is not null ? SwapPolicy.Matrix
        : Resources.Count > 0 ? SwapPolicy.Resources
        : MaxRunning is not null ? SwapPolicy.MaxRunning
        : SwapPolicy.Groups;

    /// <summary>Every model, sorted by id (ordinal).</summary>
    public ImmutableArray<ModelConfig> Models { get; init; } = [];

    /// <summary>
    /// The `groups:` as written, plus (as llama-swap does) the implicit <see cref="GroupConfig.DefaultId"/> group holding
    /// every model no group lists, with swap and exclusive on. Every model is in exactly one group.
    /// </summary>
    public ImmutableArray<GroupConfig> Groups { get; init; } = [];

    /// <summary>`hooks.on_startup.preload`: model ids to load at start, in order.</summary>
    public ImmutableArray<string> Preload { get; init; } = [];

    public ImmutableArray<string> ApiKeys { get; init; } = [];
    public bool SendLoadingState { get; init; }
    public bool IncludeAliasesInList { get; init; }

    public HttpLimits Limits { get; init; } = new();

    /// <summary>`allowedHosts`: Host header values accepted besides the listen addresses, `localhost` and loopback literals.</summary>
    public ImmutableArray<string> AllowedHosts { get; init; } = [];

    /// <summary>`cors.allowOrigins`: exact origins a browser may call from; empty means CORS is off.</summary>
    public ImmutableArray<string> CorsAllowOrigins { get; init; } = [];

    /// <summary>`tempDir`: where request bodies that must wait (a multipart file before its `model` field) spill, unlinked.</summary>
    public string TempDirectory { get; init; } = GlobalKeys.TempDir.Default;

    /// <summary>`upstream.ignorePaths`: `/upstream/{model}/…` paths served only while their model runs (llama-swap's default: static files).</summary>
    public UpstreamIgnorePaths IgnorePaths { get; init; } = UpstreamIgnorePaths.Default;

    /// <summary>llama-swap's `peers:`: remote servers answering for the model ids they list.</summary>
    public ImmutableArray<PeerConfig> Peers { get; init; } = [];

    /// <summary>llama-swap's `selectors:`: virtual model ids resolved to one of their targets per request, sorted by id.</summary>
    public ImmutableArray<SelectorConfig> Selectors { get; init; } = [];

    /// <summary>Accepted-but-unimplemented keys and similar notes, each already formatted as PATH:LINE:COL: text.</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    /// <summary>Id or alias → model. Built by the loader; aliases are unique across models.</summary>
    /// <remarks>Read-only dictionaries rather than ImmutableDictionary: the latter costs the AOT binary ~60 KB.</remarks>
    public IReadOnlyDictionary<string, ModelConfig> ModelsByName { get; init; } = ReadOnlyDictionary<string, ModelConfig>.Empty;

    public ModelConfig? FindModel(string idOrAlias) => ModelsByName.GetValueOrDefault(idOrAlias);
}

/// <summary>Limits of the HTTP front door (top-level `limits:` in our config; all optional).</summary>
internal sealed record HttpLimits
{
    public int MaxRequestLineBytes { get; init; } = (int)LimitsKeys.MaxRequestLine.Default;
    public int MaxHeaderBytes { get; init; } = (int)LimitsKeys.MaxHeader.Default;
    public int MaxHeaderCount { get; init; } = (int)LimitsKeys.MaxHeaderCount.Default;
    public long MaxBodyBytes { get; init; } = LimitsKeys.MaxBody.Default;
    public TimeSpan HeadersTimeout { get; init; } = LimitsKeys.HeadersTimeout.Default;
    public TimeSpan KeepAliveTimeout { get; init; } = LimitsKeys.KeepAliveTimeout.Default;

    /// <summary>Bytes per second a request body must keep up after <see cref="MinBodyRateGrace"/>.</summary>
    public int MinBodyBytesPerSecond { get; init; } = (int)LimitsKeys.MinBodyBytesPerSecond.Default;
    public TimeSpan MinBodyRateGrace { get; init; } = LimitsKeys.MinBodyRateGrace.Default;
    public int MaxConnections { get; init; } = (int)LimitsKeys.MaxConnections.Default;
}

/// <summary>Which planner chooses the models to evict.</summary>
internal enum SwapPolicy { Groups, MaxRunning, Resources, Matrix }

/// <summary>A llama-swap group: which models may run together.</summary>
internal sealed record GroupConfig
{
    /// <summary>Id of the implicit group of models no configured group lists (llama-swap's name for it).</summary>
    public const string DefaultId = "(default)";

    public required string Id { get; init; }
    public bool Swap { get; init; } = GroupKeys.Swap.Default;
    public bool Exclusive { get; init; } = GroupKeys.Exclusive.Default;
    public bool Persistent { get; init; } = GroupKeys.Persistent.Default;
    public ImmutableArray<string> Members { get; init; } = [];
}

/// <summary>A llama-swap peer: another server (often another llama-swap) that serves <see cref="Models"/>.</summary>
internal sealed record PeerConfig
{
    public required string Id { get; init; }

    /// <summary>Base URL; the request path is appended to it.</summary>
    public required Uri Proxy { get; init; }

    /// <summary>Sent as `Authorization: Bearer` and `x-api-key` when set.</summary>
    public string? ApiKey { get; init; }

    public ImmutableArray<string> Models { get; init; } = [];
    public ImmutableArray<string> StripParams { get; init; } = [];

    /// <summary>Top-level JSON keys set on requests; each value is JSON text.</summary>
    public ImmutableArray<KeyValuePair<string, string>> SetParams { get; init; } = [];
}
