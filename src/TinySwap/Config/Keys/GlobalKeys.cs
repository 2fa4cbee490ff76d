using Microsoft.Extensions.Logging;
using static TinySwap.Config.Keys.KeyOrigin;

namespace TinySwap.Config.Keys;

/// <summary>The top level of the config: one row per key. README's "Top level" table is this table (ConfigReferenceTests).</summary>
internal static class GlobalKeys
{
    public static readonly ConfigKey<RawConfig, string> Listen = new("listen", Ours, "127.0.0.1:8080", "`127.0.0.1:8080`",
        "`HOST:PORT` or a list of them: an IP address, `localhost`, or `:PORT` for every interface (host names are refused); `--listen` replaces it",
        (at, c, v) => at.Sections.ReadListen(c, v, at.Path));

    public static readonly ConfigKey<RawConfig, TimeSpan> HealthCheckTimeout = Key.Seconds<RawConfig>("healthCheckTimeout", LlamaSwap, 120,
        (c, v) => c.HealthCheckTimeout = v, "how long a starting model may take to pass its health check",
        m => ModelKeys.Milliseconds(m.HealthCheckTimeout));

    public static readonly ConfigKey<RawConfig, LogLevel> LogLevel = new("logLevel", LlamaSwap, Microsoft.Extensions.Logging.LogLevel.Information, "`info`",
        "`debug`, `info`, `warn`, `error` (and tinyswap's `trace`)", (at, c, v) => at.Sections.ReadLogLevel(c, v, at.Path));

    public static readonly ConfigKey<RawConfig, long> StartPort = new("startPort", LlamaSwap, 5800, "5800", "first port handed out for `${PORT}`",
        (at, c, v) =>
        {
            if (at.Reader.Integer(v, at.Path, 1, 65535) is { } port)
                c.StartPort = new(port, v);
        });

    public static readonly ConfigKey<RawConfig, TimeSpan> GlobalTtl = Key.Seconds<RawConfig>("globalTTL", LlamaSwap, 0,
        (c, v) => c.GlobalTtl = v, "unload a model idle this long; 0 = never");

    public static readonly ConfigKey<RawConfig, TimeSpan> UnloadTimeout = Key.Seconds<RawConfig>("unloadTimeout", LlamaSwap, 10,
        (c, v) => c.UnloadTimeout = v, "grace between the stop signal and SIGKILL");

    public static readonly ConfigKey<RawConfig, TimeSpan> QueueTimeout = Key.Seconds<RawConfig>("queueTimeout", Ours, 120,
        (c, v) => c.QueueTimeout = v, "how long a request waits for its model before a 503");

    public static readonly ConfigKey<RawConfig, TimeSpan> DrainTimeout = Key.Seconds<RawConfig>("drainTimeout", Ours, 30,
        (c, v) => c.DrainTimeout = v, "on shutdown, how long in-flight requests may finish");

    public static readonly ConfigKey<RawConfig, bool> CountSleeping = Key.Bool<RawConfig>("countSleeping", Ours, false,
        (c, v) => c.CountSleeping = v, "sleeping models count against `maxRunning`/`resources`");

    public static readonly ConfigKey<RawConfig, bool> SendLoadingState = Key.Bool<RawConfig>("sendLoadingState", LlamaSwap, false,
        (c, v) => c.SendLoadingState = v, "stream loading progress to clients while a model starts");

    public static readonly ConfigKey<RawConfig, bool> IncludeAliasesInList = Key.Bool<RawConfig>("includeAliasesInList", LlamaSwap, false,
        (c, v) => c.IncludeAliasesInList = v, "list aliases in `/v1/models` too");

    public static readonly ConfigKey<RawConfig, string> TempDir = new("tempDir", Ours, "/var/tmp", "`/var/tmp`",
        "where a request body that must wait (a multipart file before its `model` field) spills, as an unlinked file; an absolute path",
        (at, c, v) => c.TempDir = at.Text(v));

    public static readonly ConfigKey<RawConfig, string> LlamaServer = new("llamaServer", Ours, "llama-server", "`llama-server`",
        "the llama-server binary `llamacpp:` models run (a path, or a name looked up in PATH)", (at, c, v) => c.LlamaServer = at.Text(v));

    public static readonly ConfigKey<RawConfig, long> MetricsMaxInMemory = Key.Integer<RawConfig>("metricsMaxInMemory", LlamaSwap, 1000, 1, 1_000_000,
        (c, v) => c.MetricsMaxInMemory = (int)v, "finished requests kept for `/api/metrics/activity` (about 100 bytes each)");

    public static readonly ConfigKey<RawConfig, long> LogBufferKB = Key.Integer<RawConfig>("logBufferKB", Ours, 100, 4, 64 * 1024,
        (c, v) => c.LogBufferKB = (int)v, "size of each log ring `/logs` serves (tinyswap's own, each model's), in KB; oldest lines go first");

    public static readonly ConfigKey<RawConfig, long> CaptureBuffer = Key.Integer<RawConfig>("captureBuffer", LlamaSwap, 0, 0, 64 * 1024,
        (c, v) => c.CaptureBufferMB = (int)v,
        "MB of memory for request/answer captures (`/api/captures/{id}`, credentials redacted, each body cut at an eighth); oldest go first; 0 = off");

    public static readonly ConfigSection<RawConfig> Section = new("", "Top level",
    [
        new("models", LlamaSwap, "required", "model id → model settings (below)", (at, c, v) => at.Sections.ReadModels(c, v, at.Path)),
        Listen,
        HealthCheckTimeout,
        LogLevel,
        StartPort,
        GlobalTtl,
        UnloadTimeout,
        new("macros", LlamaSwap, "", "name → text, number or boolean (see Macros)", (at, c, v) => at.Sections.ReadMacros(v, at.Path, c.Macros)),
        new("groups", LlamaSwap, "", "group id → group settings (see Groups)", (at, c, v) => at.Sections.ReadGroups(c, v, at.Path)),
        new("hooks", LlamaSwap, "", "`on_startup.preload`: model ids or aliases to load at start, in order",
            (at, c, v) => HookKeys.Section.Read(at.Reader, at.Sections, c, v, at.Path)),
        new("apiKeys", LlamaSwap, "", "when set, requests must carry one of these keys",
            (at, c, v) => c.ApiKeys.AddRange(RawConfigReader.Located(at.Reader.StringList(v, at.Path)))),
        SendLoadingState,
        IncludeAliasesInList,
        new("peers", LlamaSwap, "", "peer id → peer settings (see Peers); validated, not forwarded to yet",
            (at, c, v) => at.Sections.ReadPeers(c, v, at.Path)),
        new("selectors", LlamaSwap, "", "virtual model id → selector settings: resolves to one of its targets per request (see Selectors)",
            (at, c, v) => SelectorKeys.ReadAll(at, c, v)),
        QueueTimeout,
        DrainTimeout,
        new("maxRunning", Ours, "", "swap policy: at most N models up, least recently used idle one goes", (at, c, v) =>
        {
            if (at.Reader.Integer(v, at.Path, 1, int.MaxValue) is { } max)
                c.MaxRunning = new(max, v);
        }),
        new("resources", Ours, "", "swap policy: named budgets, e.g. `vram_mb: 24000` (whole numbers), or `auto` (see llama.cpp models)",
            (at, c, v) =>
            {
                if (v.IsScalar && v.Text == "auto")
                    c.ResourcesAuto = v;
                else
                    at.Sections.ReadAmounts(v, at.Path, c.Budgets);
            }),
        LlamaServer,
        CountSleeping,
        new("limits", Ours, "", "HTTP front-door limits (see Limits)", (at, c, v) => LimitsKeys.Section.Read(at.Reader, at.Sections, c, v, at.Path)),
        new("allowedHosts", Ours, "", "`Host` header values accepted besides the listen addresses, `localhost` and loopback literals (names behind a reverse proxy)",
            (at, c, v) => at.Sections.ReadAllowedHosts(c, v, at.Path)),
        new("cors", Ours, "", "`allowOrigins`: exact origins (`https://app.example.org`) a browser may call from; CORS is off without it",
            (at, c, v) => CorsKeys.Section.Read(at.Reader, at.Sections, c, v, at.Path)),
        TempDir,
        LogBufferKB,
        new("routing", LlamaSwap, "", "llama-swap's newer place for groups, the matrix and queue priorities (see Routing)",
            (at, c, v) => RoutingKeys.Section.Read(at.Reader, at.Sections, c, v, at.Path)),
        new("matrix", LlamaSwap, "", "llama-swap's older place for `routing.router.settings.matrix`; it chooses the matrix policy (not with `routing.router`)",
            (at, c, v) => c.TopLevelMatrix = MatrixKeys.Read(at, v)),
        Key.NotImplemented<RawConfig>("logRequests",
            "llama-swap reads it but no longer uses it"),
        Key.NotImplemented<RawConfig>("logTimeFormat",
            "tinyswap's log lines always start with an ISO-8601 UTC time"),
        Key.NotImplemented<RawConfig>("logToStdout",
            "what reaches stdout is fixed: tinyswap's own lines, and a model's last output when it fails to start; each model's output is in `/logs`"),
        MetricsMaxInMemory,
        CaptureBuffer,
        Key.NotImplemented<RawConfig>("profiles",
            "planned (issue 11): pins switched at run time through `/api/profiles`"),
        Key.NotImplemented<RawConfig>("store",
            "llama-swap's SQLite activity history; tinyswap keeps activity in memory (`metricsMaxInMemory`)"),
        Key.NotImplemented<RawConfig>("ui",
            "settings of llama-swap's web UI (`ui.activity.session_id`), which tinyswap does not ship"),
        Key.NotImplemented<RawConfig>("performance",
            "llama-swap's hardware sampling for its UI; tinyswap reports each model's process figures on `/metrics`"),
        new("upstream", LlamaSwap, "", "`ignorePaths`: which `/upstream/{model}/…` paths never start a model (see Upstream passthrough)",
            (at, c, v) => UpstreamKeys.Section.Read(at.Reader, at.Sections, c, v, at.Path)),
    ], allowsExtensionKeys: true);
}

/// <summary>`hooks:` and `hooks.on_startup:`.</summary>
internal static class HookKeys
{
    public static readonly ConfigSection<RawConfig> OnStartup = new("hooks.on_startup", "Startup hooks",
    [
        new("preload", LlamaSwap, "", "model ids or aliases to load at start, in order",
            (at, c, v) => c.Preload.AddRange(RawConfigReader.Located(at.Reader.StringList(v, at.Path)))),
    ]);

    public static readonly ConfigSection<RawConfig> Section = new("hooks", "Hooks",
    [
        new("on_startup", LlamaSwap, "", "what to do once at start", (at, c, v) => OnStartup.Read(at.Reader, at.Sections, c, v, at.Path)),
    ]);
}

/// <summary>`cors:`.</summary>
internal static class CorsKeys
{
    public static readonly ConfigSection<RawConfig> Section = new("cors", "CORS",
    [
        new("allowOrigins", Ours, "", "exact origins `scheme://host[:port]` allowed to call from a browser; `*` is refused",
            (at, c, v) => at.Sections.ReadOrigins(c, v, at.Path)),
    ]);
}
