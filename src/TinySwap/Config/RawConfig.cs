using Microsoft.Extensions.Logging;
using TinySwap.Config.Keys;
using TinySwap.Config.Macros;
using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>A value read from the file together with the node it came from, for positioned errors later.</summary>
internal readonly record struct Located<T>(T Value, YamlNode Node);

/// <summary>The file's content after type checking, before macros, ports and cross-checks (the loader's first stage).</summary>
internal sealed class RawConfig
{
    public TimeSpan HealthCheckTimeout { get; set; } = GlobalKeys.HealthCheckTimeout.Default;
    public LogLevel LogLevel { get; set; } = GlobalKeys.LogLevel.Default;
    public Located<long>? StartPort { get; set; }
    public int FirstPort => (int)(StartPort?.Value ?? GlobalKeys.StartPort.Default);
    public TimeSpan GlobalTtl { get; set; } = GlobalKeys.GlobalTtl.Default;
    public TimeSpan UnloadTimeout { get; set; } = GlobalKeys.UnloadTimeout.Default;
    public TimeSpan QueueTimeout { get; set; } = GlobalKeys.QueueTimeout.Default;
    public TimeSpan DrainTimeout { get; set; } = GlobalKeys.DrainTimeout.Default;
    public Located<long>? MaxRunning { get; set; }
    public List<(string Name, YamlNode KeyNode, long Amount)> Budgets { get; } = [];
    public bool CountSleeping { get; set; } = GlobalKeys.CountSleeping.Default;
    public int MetricsMaxInMemory { get; set; } = (int)GlobalKeys.MetricsMaxInMemory.Default;
    public int LogBufferKB { get; set; } = (int)GlobalKeys.LogBufferKB.Default;
    public int CaptureBufferMB { get; set; } = (int)GlobalKeys.CaptureBuffer.Default;
    public bool SendLoadingState { get; set; } = GlobalKeys.SendLoadingState.Default;
    public bool IncludeAliasesInList { get; set; } = GlobalKeys.IncludeAliasesInList.Default;
    public List<MacroDefinition> Macros { get; } = [];
    public List<RawModel> Models { get; } = [];
    public YamlNode? ModelsNode { get; set; }
    public List<RawGroup> Groups { get; } = [];
    public YamlNode? GroupsNode { get; set; }
    public List<Located<string>> Preload { get; } = [];
    public List<Located<string>> ApiKeys { get; } = [];
    public List<Located<string>> Listen { get; } = [];
    public HttpLimits Limits { get; set; } = new();
    public List<RawPeer> Peers { get; } = [];
    public List<RawSelector> Selectors { get; } = [];
    public List<Located<string>> AllowedHosts { get; } = [];
    public List<Located<string>> CorsAllowOrigins { get; } = [];
    public Located<string>? TempDir { get; set; }

    /// <summary>`routing.router.use` as written; null when absent.</summary>
    public Located<string>? RouterUse { get; set; }

    /// <summary>Top-level `matrix:` (llama-swap's older place) and `routing.router.settings.matrix`.</summary>
    public RawMatrix? TopLevelMatrix { get; set; }
    public RawMatrix? RoutingMatrix { get; set; }

    /// <summary>True when `groups` came from `routing.router.settings`, where `use: matrix` leaves them unused.</summary>
    public bool GroupsInRouting { get; set; }

    /// <summary>`llamaServer:`: the llama-server binary `llamacpp:` models run.</summary>
    public Located<string>? LlamaServer { get; set; }

    /// <summary>`resources: auto`: budgets from the detected memory (the node, for errors); null when not chosen.</summary>
    public YamlNode? ResourcesAuto { get; set; }

    /// <summary>`upstream.ignorePaths` as written; empty means llama-swap's default.</summary>
    public List<Located<string>> IgnorePaths { get; } = [];

    /// <summary>`routing.scheduler.settings.fifo.priority`: model id → priority, applied to the models once all are read.</summary>
    public List<(string Id, YamlNode KeyNode, long Priority)> FifoPriority { get; } = [];
}

/// <summary>One entry under `models:` as written (strings still carry their macros).</summary>
internal sealed class RawModel(string id, YamlNode keyNode)
{
    public string Id { get; } = id;
    public YamlNode KeyNode { get; } = keyNode;

    public Located<string>? Cmd { get; set; }
    public Located<string>? CmdStop { get; set; }
    public Located<string>? Proxy { get; set; }
    public Located<string>? CheckEndpoint { get; set; }
    public Located<string>? UseModelName { get; set; }
    public Located<string>? Name { get; set; }
    public Located<string>? Description { get; set; }
    public Located<string>? AfterHealthy { get; set; }
    public Located<string>? BeforeStop { get; set; }
    public Located<string>? Wake { get; set; }
    public Located<string>? Sleep { get; set; }
    public Located<string>? Alive { get; set; }
    public Located<string>? ApiKey { get; set; }

    /// <summary>`ttl` in seconds; -1 (llama-swap's default) means "use globalTTL".</summary>
    public long Ttl { get; set; } = ModelKeys.Ttl.Default;
    public TimeSpan? UnloadTimeout { get; set; }
    public bool Unlisted { get; set; }
    public int ConcurrencyLimit { get; set; }
    public bool? SendLoadingState { get; set; }
    public TimeSpan HookTimeout { get; set; } = ModelKeys.HookTimeout.Default;
    public TimeSpan AliveInterval { get; set; } = ModelKeys.AliveInterval.Default;
    public TimeSpan MinActive { get; set; }
    public int Priority { get; set; }
    public bool IgnoreWebsockets { get; set; }

    public List<Located<string>> Aliases { get; } = [];
    public List<Located<string>> Env { get; } = [];
    public List<Located<string>> StripParams { get; } = [];
    public List<(string Key, YamlNode KeyNode, YamlNode Value)> SetParams { get; } = [];
    public YamlNode? Metadata { get; set; }
    public List<MacroDefinition> Macros { get; } = [];
    public List<(string Name, YamlNode KeyNode, long Amount)> Resources { get; } = [];

    /// <summary>`llamacpp:`: a typed llama-server launch instead of `cmd`.</summary>
    public RawLlamaCpp? LlamaCpp { get; set; }

    public RawSlots? Slots { get; set; }
}

internal sealed class RawGroup(string id, YamlNode keyNode)
{
    public string Id { get; } = id;
    public YamlNode KeyNode { get; } = keyNode;
    public bool Swap { get; set; } = GroupKeys.Swap.Default;
    public bool Exclusive { get; set; } = GroupKeys.Exclusive.Default;
    public bool Persistent { get; set; } = GroupKeys.Persistent.Default;
    public bool HasMembers { get; set; }
    public List<Located<string>> Members { get; } = [];
}

internal sealed class RawPeer(string id, YamlNode keyNode)
{
    public string Id { get; } = id;
    public YamlNode KeyNode { get; } = keyNode;
    public Located<string>? Proxy { get; set; }
    public Located<string>? ApiKey { get; set; }
    public List<Located<string>> Models { get; } = [];
    public List<Located<string>> StripParams { get; } = [];
    public List<(string Key, YamlNode KeyNode, YamlNode Value)> SetParams { get; } = [];
}

/// <summary>An alias written as a mapping, `{id: ...}`.</summary>
internal sealed class RawAlias
{
    public Located<string>? Id { get; set; }
}
