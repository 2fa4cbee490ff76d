using System.Globalization;
using static TinySwap.Config.Keys.KeyOrigin;

namespace TinySwap.Config.Keys;

/// <summary>
/// One entry under `models:`: one row per key, with the part each key plays in the model's fingerprint (a reload
/// restarts a running model only when a key with a fingerprint changed).
/// </summary>
internal static class ModelKeys
{
    public static readonly ConfigKey<RawModel, long> Ttl = Key.Integer<RawModel>("ttl", LlamaSwap, -1, -1, long.MaxValue, (m, v) => m.Ttl = v,
        "idle seconds before unload; -1 = `globalTTL`, 0 = never");

    public static readonly ConfigKey<RawModel, TimeSpan> HookTimeout = Key.PositiveSeconds<RawModel>("hookTimeout", Ours, 30,
        (m, v) => m.HookTimeout = v, "a hook running longer has its process group killed", m => Milliseconds(m.HookTimeout));

    public static readonly ConfigKey<RawModel, TimeSpan> AliveInterval = Key.PositiveSeconds<RawModel>("aliveInterval", Ours, 30,
        (m, v) => m.AliveInterval = v, "how often `alive` runs", m => Milliseconds(m.AliveInterval));

    public static readonly ConfigKey<RawModel, string> CheckEndpoint = new("checkEndpoint", LlamaSwap, "/health", "`/health`",
        "path that answers 200 when ready; `none` skips the check", (at, m, v) => m.CheckEndpoint = at.Text(v))
    { Fingerprint = m => m.CheckEndpoint ?? "none" };

    public static readonly ConfigSection<RawModel> Filters = new("models.ID.filters", "Model filters",
    [
        new("stripParams", LlamaSwap, "", "comma-separated (or a list) JSON keys removed from requests; never `model`",
            (at, m, v) => at.Sections.ReadStripParams(v, at.Path, m.StripParams)),
        new("strip_params", LlamaSwap, "", "llama-swap's older spelling of `stripParams`",
            (at, m, v) => at.Sections.ReadStripParams(v, at.Path, m.StripParams)),
        new("setParams", LlamaSwap, "", "JSON keys set on requests (any YAML value); never `model`",
            (at, m, v) => at.Sections.ReadSetParams(v, at.Path, m.SetParams)),
        Key.NotImplemented<RawModel>("setParamsByID", "planned (issue 11): each key becomes an alias whose requests get those params"),
    ]);

    /// <summary>An alias written as a mapping (llama-swap's newer form).</summary>
    public static readonly ConfigSection<RawAlias> Alias = new("models.ID.aliases[N]", "An alias written as a mapping",
    [
        Key.Text<RawAlias>("id", LlamaSwap, "required", (a, v) => a.Id = v, "the alias"),
        Key.NotImplemented<RawAlias>("name", "not read yet"),
        Key.NotImplemented<RawAlias>("unlisted", "not read yet"),
    ]);

    public static readonly ConfigSection<RawModel> Section = new("models.ID", "Per model",
    [
        Key.Text<RawModel>("cmd", LlamaSwap, "required*", (m, v) => m.Cmd = v, "command that starts the server (see Commands)",
            m => Args(m.Command)),
        Key.Text<RawModel>("cmdStop", LlamaSwap, "", (m, v) => m.CmdStop = v,
            "command that stops it (`${PID}` = the server's pid); default: SIGTERM to its process group", m => Args(m.StopCommand)),
        Key.Text<RawModel>("proxy", LlamaSwap, "`http://127.0.0.1:${PORT}`", (m, v) => m.Proxy = v,
            "where the server listens; a path is a prefix. Must be set when `cmd` does not use `${PORT}`", m => m.Proxy.AbsoluteUri),
        CheckEndpoint,
        Ttl,
        new("unloadTimeout", LlamaSwap, "global", "per-model stop grace; 0 = the global value", (at, m, v) =>
        {
            // llama-swap: 0 means "use the global unloadTimeout".
            if (at.Reader.Seconds(v, at.Path) is { } unload && unload > TimeSpan.Zero)
                m.UnloadTimeout = unload;
        })
        { Fingerprint = m => Milliseconds(m.UnloadTimeout) },
        new("aliases", LlamaSwap, "", "other names for the model (strings, or llama-swap's `{id: ...}` form); unique across models and ids",
            (at, m, v) => at.Sections.ReadAliases(m, v, at.Path)),
        new("env", LlamaSwap, "", "`NAME=value` lines added to the server's environment",
            (at, m, v) => m.Env.AddRange(RawConfigReader.Located(at.Reader.StringList(v, at.Path))))
        { Fingerprint = m => string.Join('\0', m.Environment) },
        Key.Text<RawModel>("useModelName", LlamaSwap, "", (m, v) => m.UseModelName = v, "the `model` value the upstream receives"),
        Key.Text<RawModel>("name", LlamaSwap, "", (m, v) => m.Name = v, "shown in `/v1/models`"),
        Key.Text<RawModel>("description", LlamaSwap, "", (m, v) => m.Description = v, "shown in `/v1/models`"),
        Key.Bool<RawModel>("unlisted", LlamaSwap, false, (m, v) => m.Unlisted = v, "hidden from `/v1/models`, still usable"),
        Key.Integer<RawModel>("concurrencyLimit", LlamaSwap, 0, 0, int.MaxValue, (m, v) => m.ConcurrencyLimit = (int)v,
            "requests in flight before 429; 0 = unlimited (llama-swap's 0 means 10)"),
        new("filters", LlamaSwap, "", "`stripParams` (comma-separated or a list of JSON keys removed from requests) and `setParams` (JSON keys set on them); never `model`",
            (at, m, v) => Filters.Read(at.Reader, at.Sections, m, v, at.Path)),
        new("macros", LlamaSwap, "", "per-model macros; override global ones of the same name", (at, m, v) => at.Sections.ReadMacros(v, at.Path, m.Macros)),
        new("metadata", LlamaSwap, "", "any YAML, shown as JSON in `/v1/models`", (at, m, v) =>
        {
            if (!v.IsNull && !v.IsMapping)
                at.Diagnostics.Error(v, $"{at.Path}: expected a mapping of values shown in /v1/models, got {v.Describe()}");
            else if (v.IsMapping)
                m.Metadata = v;
        }),
        new("sendLoadingState", LlamaSwap, "global", "per-model override", (at, m, v) => m.SendLoadingState = at.Reader.Bool(v, at.Path)),
        // Not in the fingerprint: the key changes what tinyswap sends the server, not the server; a reload applies it to
        // the next request without restarting the model (a server that checks a key gets it from `cmd`, which is).
        Key.Text<RawModel>("apiKey", Ours, "", (m, v) => m.ApiKey = v,
            "sent to the model's server as `Authorization: Bearer` and `x-api-key` (the client's own key never is)"),
        Key.Text<RawModel>("afterHealthy", Ours, "", (m, v) => m.AfterHealthy = v, "shell hook run after the health check passes",
            m => m.Hooks.AfterHealthy),
        Key.Text<RawModel>("beforeStop", Ours, "", (m, v) => m.BeforeStop = v, "shell hook run before the stop signal",
            m => m.Hooks.BeforeStop),
        Key.Text<RawModel>("wake", Ours, "", (m, v) => m.Wake = v, "shell hook: wake instead of spawn (with `sleep`)", m => m.Hooks.Wake),
        Key.Text<RawModel>("sleep", Ours, "", (m, v) => m.Sleep = v, "shell hook: sleep instead of stop (with `wake`)", m => m.Hooks.Sleep),
        Key.Text<RawModel>("alive", Ours, "", (m, v) => m.Alive = v, "shell hook: a liveness probe run every `aliveInterval`",
            m => m.Hooks.Alive),
        HookTimeout,
        AliveInterval,
        new("resources", Ours, "", "needs per budget, e.g. `vram_mb: 8000`; must name a budget and fit in it",
            (at, m, v) => at.Sections.ReadAmounts(v, at.Path, m.Resources)),
        new("llamacpp", Ours, "", "a typed llama-server launch instead of `cmd` (see llama.cpp launch)", (at, m, v) =>
        {
            m.LlamaCpp = new RawLlamaCpp(v);
            LlamaCppKeys.Section.Read(at.Reader, at.Sections, m.LlamaCpp, v, at.Path);
        }),
        new("slots", Ours, "", "llama-server KV-cache slot files: `restoreOnStart`, `saveOnStop` (see llama-server KV-cache slots)", (at, m, v) =>
        {
            m.Slots = new RawSlots();
            LlamaCppKeys.Slots.Read(at.Reader, at.Sections, m.Slots, v, at.Path);
        })
        { Fingerprint = m => m.Slots.ToString() },
        Key.Integer<RawModel>("priority", Ours, 0, int.MinValue, int.MaxValue, (m, v) => m.Priority = (int)v,
            "waiters for higher-priority models are served first"),
        Key.Seconds<RawModel>("minActive", Ours, 0, (m, v) => m.MinActive = v,
            "anti-thrash: a serving model keeps its turn at least this long while others wait"),
        new("healthCheckTimeout", LlamaSwap, "global", "accepted with a warning: llama-swap uses the global `healthCheckTimeout` for every model, and so does tinyswap",
            (at, m, v) =>
            {
                if (at.Reader.Seconds(v, at.Path) is not null)
                    at.Diagnostics.Warning(v, $"{at.Path}: ignored: llama-swap uses the global healthCheckTimeout for every model, and so does tinyswap");
            }),
        new("compat", LlamaSwap, "", "`ignoreWebsockets`: WebSockets never start the model and do not count as its use (see Model compatibility)",
            (at, m, v) => UpstreamKeys.Compat.Read(at.Reader, at.Sections, m, v, at.Path)),
        Key.NotImplemented<RawModel>("timeouts",
            "the settings of llama-swap's Go HTTP transport (`connect`, `responseHeader`...); tinyswap's upstream client takes none per model yet"),
        Key.NotImplemented<RawModel>("capabilities",
            "what llama-swap's `/v1/models` tells clients a model accepts (modalities, tools, context); not in tinyswap's list yet"),
    ]);

    private static string Args(IEnumerable<string> args) => string.Join('\0', args);

    public static string Milliseconds(TimeSpan value) => value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);
}
