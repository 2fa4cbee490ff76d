namespace TinySwap.Config;

/// <summary>
/// Every key the loader knows, per section: the ones tinyswap implements and the ones llama-swap accepts that we do
/// not implement yet (accepted with a warning naming them). Anything else is an error with a "did you mean".
/// Sources: llama-swap's config.example.yaml, config-schema.json and proxy/config/*.go across its releases.
/// </summary>
internal static class ConfigKeys
{
    public static readonly string[] TopLevel =
    [
        "healthCheckTimeout", "logLevel", "startPort", "globalTTL", "unloadTimeout", "macros", "models", "groups",
        "hooks", "apiKeys", "sendLoadingState", "includeAliasesInList", "peers",
        // tinyswap's own
        "listen", "queueTimeout", "drainTimeout", "maxRunning", "resources", "countSleeping", "limits",
    ];

    public static readonly string[] TopLevelNotImplemented =
    [
        "logRequests", "logTimeFormat", "logToStdout", "metricsMaxInMemory", "captureBuffer", "profiles", "matrix",
        "routing", "store", "ui", "performance", "upstream",
    ];

    public static readonly string[] Model =
    [
        "cmd", "cmdStop", "proxy", "checkEndpoint", "ttl", "aliases", "env", "useModelName", "unlisted", "name",
        "description", "concurrencyLimit", "filters", "macros", "metadata", "sendLoadingState", "unloadTimeout",
        // tinyswap's own
        "afterHealthy", "beforeStop", "wake", "sleep", "alive", "hookTimeout", "aliveInterval", "resources",
        "priority", "minActive",
    ];

    public static readonly string[] ModelNotImplemented = ["timeouts", "capabilities"];

    /// <summary>`strip_params` is llama-swap's legacy spelling of `stripParams`; both work.</summary>
    public static readonly string[] Filters = ["stripParams", "strip_params", "setParams"];

    public static readonly string[] FiltersNotImplemented = ["setParamsByID"];

    public static readonly string[] PeerFilters = ["stripParams", "setParams"];

    public static readonly string[] Group = ["swap", "exclusive", "persistent", "members"];

    public static readonly string[] Hooks = ["on_startup"];

    public static readonly string[] OnStartup = ["preload"];

    /// <summary>Newer llama-swap lets an alias be `{id, name, unlisted}` instead of a string.</summary>
    public static readonly string[] Alias = ["id"];

    public static readonly string[] AliasNotImplemented = ["name", "unlisted"];

    public static readonly string[] Peer = ["proxy", "apiKey", "models", "filters"];

    public static readonly string[] PeerNotImplemented = ["timeouts", "httpTimeout"];

    public static readonly string[] Limits =
    [
        "maxRequestLineKB", "maxHeaderKB", "maxHeaderCount", "maxBodyMB", "headersTimeout", "keepAliveTimeout",
        "minBodyBytesPerSecond", "minBodyRateGrace", "maxConnections",
    ];

    public static readonly string[] None = [];
}
