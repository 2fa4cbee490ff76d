using System.Collections.Immutable;
using System.Collections.ObjectModel;
using TinySwap.Config.Keys;
using TinySwap.Config.Macros;
using TinySwap.LlamaCpp;
using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>
/// Second loader stage for one model: resolves its macros, allocates its ${PORT}, splits its commands, converts
/// filters and metadata to JSON, applies defaults, and computes its fingerprint. Called in sorted id order so ports
/// are allocated as llama-swap allocates them.
/// </summary>
internal sealed partial class ModelBuilder
{
    private const string DefaultProxy = "http://127.0.0.1:${PORT}";

    private readonly NodeReader _reader;
    private readonly MacroExpander _expander;
    private readonly MacroResolver _resolver;
    private readonly JsonValueWriter _json;
    private readonly RawConfig _config;
    private readonly string[] _sourceLines;
    private int _nextPort;

    public ModelBuilder(NodeReader reader, RawConfig config, string[] sourceLines)
    {
        _reader = reader;
        _expander = new MacroExpander(reader.Diagnostics);
        _resolver = new MacroResolver(reader.Diagnostics);
        _json = new JsonValueWriter(reader, _expander);
        _config = config;
        _sourceLines = sourceLines;
        _nextPort = config.FirstPort;
    }

    private DiagnosticBag Diagnostics => _reader.Diagnostics;

    /// <summary>The model, or null when it has errors (all of them recorded).</summary>
    public ModelConfig? Build(RawModel model)
    {
        var errorsBefore = Diagnostics.ErrorCount;
        var path = "models." + model.Id;
        var scope = _resolver.Resolve(_config.Macros, model.Macros, model.Id);

        var (command, llamaCpp) = model.LlamaCpp is { } typed ? BuildLlamaCpp(model, typed, scope, path) : (BuildCommand(model, scope, path), null);
        var proxy = BuildProxy(model, scope, path);
        var stopCommand = model.CmdStop is { } stop
            ? SplitCommand(stop, scope, path + ".cmdStop", MacroField.StopCommand)
            : [];
        var hooks = new ModelHooks(
            Hook(model.AfterHealthy, scope, path, "afterHealthy"),
            Hook(model.BeforeStop, scope, path, "beforeStop"),
            Hook(model.Wake, scope, path, "wake"),
            Hook(model.Sleep, scope, path, "sleep"),
            Hook(model.Alive, scope, path, "alive"));
        CheckLifecycle(model, hooks, path);

        var result = new ModelConfig
        {
            Id = model.Id,
            Command = command,
            StopCommand = stopCommand,
            Proxy = proxy ?? new Uri("http://127.0.0.1/"),
            CheckEndpoint = BuildCheckEndpoint(model, scope, path),
            Ttl = model.Ttl < 0 ? _config.GlobalTtl : TimeSpan.FromSeconds(model.Ttl),
            Aliases = [.. model.Aliases.ConvertAll(a => Expand(a, scope, path + ".aliases"))],
            Environment = BuildEnvironment(model, scope, path),
            UseModelName = Expand(model.UseModelName, scope, path + ".useModelName"),
            Unlisted = model.Unlisted,
            Name = Expand(model.Name, scope, path + ".name"),
            Description = Expand(model.Description, scope, path + ".description"),
            ConcurrencyLimit = model.ConcurrencyLimit,
            StripParams = BuildStripParams(model.StripParams, scope, path + ".filters.stripParams"),
            SetParams = BuildSetParams(model.SetParams, scope, path + ".filters.setParams"),
            MetadataJson = LlamaCppMetadata.Merge(model.Metadata is { } metadata ? _json.ToJson(metadata, scope, path + ".metadata") : null, llamaCpp),
            SendLoadingState = model.SendLoadingState ?? _config.SendLoadingState,
            ApiKey = model.ApiKey is { } apiKey ? UpstreamApiKey.Check(Expand(apiKey, scope, path + ".apiKey"), apiKey.Node, path + ".apiKey", Diagnostics) : null,
            UnloadTimeout = model.UnloadTimeout ?? _config.UnloadTimeout,
            HealthCheckTimeout = _config.HealthCheckTimeout,
            Hooks = hooks,
            HookTimeout = model.HookTimeout,
            AliveInterval = model.AliveInterval,
            Resources = Amounts(model.Resources),
            Priority = model.Priority,
            MinActive = model.MinActive,
            // llama-swap forces it on for the model its /comfyui/ route serves, whatever the file says.
            IgnoreWebsockets = model.IgnoreWebsockets || model.Id == UpstreamKeys.ComfyUiModelId,
            LlamaCpp = llamaCpp,
            Slots = BuildSlots(model, llamaCpp?.Launch),
            Port = scope.AllocatedPort,
            Fingerprint = "",
        };
        return Diagnostics.ErrorCount == errorsBefore ? result with { Fingerprint = ModelFingerprint.Of(result) } : null;
    }

    private string? Hook(Located<string>? hook, MacroScope scope, string path, string name) =>
        hook is { } h ? _expander.Expand(h.Value, scope, h.Node, $"{path}.{name}", MacroField.Shell) : null;

    private string? Expand(Located<string>? value, MacroScope scope, string path) =>
        value is { } v ? _expander.Expand(v.Value, scope, v.Node, path) : null;

    private string Expand(Located<string> value, MacroScope scope, string path) =>
        _expander.Expand(value.Value, scope, value.Node, path);

    // sleep/wake come as a pair; a model without cmd is brought up by wake and taken down by sleep (issue 4).
    private void CheckLifecycle(RawModel model, ModelHooks hooks, string path)
    {
        if ((hooks.Sleep is null) != (hooks.Wake is null))
        {
            var present = model.Sleep ?? model.Wake!.Value;
            Diagnostics.Error(present.Node, $"{path}: `sleep` and `wake` go together (one puts the server to sleep, the other wakes it)");
        }
        if (model.Cmd is null && model.LlamaCpp is null && model.Wake is null)
            Diagnostics.Error(model.KeyNode, $"{path}: `cmd:` is missing (the command that starts the model's server)");
        if (model.Cmd is null && model.LlamaCpp is null && model.Wake is not null && model.Proxy is null)
            Diagnostics.Error(model.KeyNode, $"{path}: a model without `cmd` is managed by its wake/sleep hooks and needs `proxy:` (where it listens)");
    }

    private ImmutableArray<KeyValuePair<string, string>> BuildEnvironment(RawModel model, MacroScope scope, string path)
    {
        var result = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < model.Env.Count; i++)
        {
            var (text, node) = (model.Env[i].Value, model.Env[i].Node);
            var at = $"{path}.env[{i}]";
            var equals = text.IndexOf('=');
            var name = equals < 0 ? text : text[..equals];
            if (equals <= 0 || !IsEnvironmentName(name))
            {
                Diagnostics.Error(node, $"{at}: expected NAME=value with NAME of letters, digits and '_', got '{text}'");
                continue;
            }
            var value = _expander.Expand(text[(equals + 1)..], scope, node, at);
            var existing = result.FindIndex(e => e.Key == name);
            if (existing >= 0)
            {
                Diagnostics.Warning(node, $"{at}: {name} is set twice; the last value wins");
                result.RemoveAt(existing);
            }
            result.Add(new(name, value));
        }
        return [.. result];
    }

    /// <summary>`resources:` amounts by name (budgets or needs); a repeated name was already reported, the first counts.</summary>
    public static ReadOnlyDictionary<string, long> Amounts(List<(string Name, YamlNode KeyNode, long Amount)> amounts)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, _, amount) in amounts)
            result.TryAdd(name, amount);
        return result.AsReadOnly();
    }

    private static bool IsEnvironmentName(string name) =>
        (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private ImmutableArray<string> BuildStripParams(List<Located<string>> items, MacroScope? scope, string path)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var name = scope is null ? item.Value : _expander.Expand(item.Value, scope, item.Node, path);
            if (name == "model")
                Diagnostics.Warning(item.Node, $"{path}: 'model' is never stripped (tinyswap routes by it); ignored");
            else
                names.Add(name);
        }
        return [.. names];
    }

    private ImmutableArray<KeyValuePair<string, string>> BuildSetParams(
        List<(string Key, YamlNode KeyNode, YamlNode Value)> items, MacroScope scope, string path)
    {
        var result = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        foreach (var (key, keyNode, value) in items)
        {
            if (key == "model")
            {
                Diagnostics.Warning(keyNode, $"{path}: 'model' cannot be set (use useModelName); ignored");
                continue;
            }
            if (_json.ToJson(value, scope, NodeReader.Join(path, key)) is { } json)
                result.Add(new(key, json));
        }
        return result.ToImmutable();
    }

    /// <summary>Peers share the filters but see only the global macros.</summary>
    public (ImmutableArray<string> Strip, ImmutableArray<KeyValuePair<string, string>> Set) BuildPeerFilters(RawPeer peer, MacroScope globals)
    {
        var path = $"peers.{peer.Id}.filters";
        return (BuildStripParams(peer.StripParams, globals, path + ".stripParams"), BuildSetParams(peer.SetParams, globals, path + ".setParams"));
    }

    public MacroScope GlobalScope() => _resolver.Resolve(_config.Macros, [], null);

    public MacroExpander Expander => _expander;

    /// <summary>YAML → JSON text with macros (metadata of models and selectors).</summary>
    public JsonValueWriter Json => _json;
}
