using System.Collections.Immutable;
using System.Collections.ObjectModel;
using TinySwap.Config.Macros;
using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>Swap policy, resource budgets, API keys and peers.</summary>
internal sealed partial class ConfigValidator
{
    /// <summary>
    /// One planner decides evictions, so groups, the matrix, maxRunning and resources exclude each other (groups under
    /// `routing.router.settings` stay unused beside `use: matrix`, as in llama-swap). Runs after <see cref="CheckMatrix"/>.
    /// </summary>
    public void CheckPolicy()
    {
        var chosen = new List<(string Name, YamlNode Node)>();
        if (config.Groups.Count > 0 && !(_matrixChosenBy is not null && config.GroupsInRouting))
            chosen.Add(("groups", config.Groups[0].KeyNode));
        if (_matrixChosenBy is { } matrix)
            chosen.Add(("matrix", matrix));
        if (config.MaxRunning is { } maxRunning)
            chosen.Add(("maxRunning", maxRunning.Node));
        if (config.Budgets.Count > 0)
            chosen.Add(("resources", config.Budgets[0].KeyNode));
        else if (config.ResourcesAuto is { } auto)
            chosen.Add(("resources", auto));
        if (chosen.Count > 1)
        {
            var names = string.Join(", ", chosen.ConvertAll(c => $"`{c.Name}`"));
            diagnostics.Error(chosen[1].Node, $"{names} each choose how models are swapped; use one of them");
        }
    }

    /// <summary>Every need names a budget and fits in it: a model that can never fit would wait forever.</summary>
    public ReadOnlyDictionary<string, long> CheckResources()
    {
        var budgets = ModelBuilder.Amounts(config.Budgets);
        foreach (var model in config.Models)
        {
            foreach (var (name, keyNode, amount) in model.Resources)
            {
                var at = $"models.{model.Id}.resources.{name}";
                if (budgets.Count == 0)
                    diagnostics.Error(keyNode, $"{at}: there are no budgets; add a top-level `resources:` (e.g. {name}: 24000)");
                else if (!budgets.TryGetValue(name, out var budget))
                    diagnostics.Error(keyNode, $"{at}: no budget named '{name}' in the top-level `resources:`{KeySuggestion.Hint(name, budgets.Keys)}");
                else if (amount > budget)
                    diagnostics.Error(keyNode, $"{at}: needs {amount} but the budget is {budget}, so the model could never start");
            }
        }
        return budgets;
    }

    /// <summary>Keys are sent in an Authorization header: non-empty, no spaces (as llama-swap requires).</summary>
    public ImmutableArray<string> CheckApiKeys()
    {
        foreach (var (key, node) in config.ApiKeys)
        {
            if (key.Length == 0)
                diagnostics.Error(node, "apiKeys: a key cannot be empty");
            else if (key.Any(char.IsWhiteSpace))
                diagnostics.Error(node, "apiKeys: a key cannot contain spaces");
        }
        return [.. config.ApiKeys.ConvertAll(k => k.Value)];
    }

    /// <summary>`tempDir`: an absolute path (a relative one would depend on the directory the service was started from).</summary>
    public string CheckTempDirectory()
    {
        if (config.TempDir is not { } dir)
            return Keys.GlobalKeys.TempDir.Default;
        if (!Path.IsPathFullyQualified(dir.Value))
            diagnostics.Error(dir.Node, $"tempDir: '{dir.Value}' is not an absolute path (e.g. /var/tmp)");
        return dir.Value;
    }

    public ImmutableArray<PeerConfig> CheckPeers(ModelBuilder builder, MacroScope globals)
    {
        var result = ImmutableArray.CreateBuilder<PeerConfig>();
        var servedBy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var peer in config.Peers)
        {
            var path = $"peers.{peer.Id}";
            Uri? proxy = null;
            if (peer.Proxy is { } p)
            {
                var text = builder.Expander.Expand(p.Value, globals, p.Node, path + ".proxy");
                if (!Uri.TryCreate(text, UriKind.Absolute, out proxy) || proxy.Scheme is not ("http" or "https"))
                    diagnostics.Error(p.Node, $"{path}.proxy: '{text}' is not an http:// or https:// URL");
                else if (proxy.Scheme == "https")
                    diagnostics.Warning(p.Node, $"{path}.proxy: tinyswap's upstream client speaks plain HTTP; https peers are not supported yet");
            }
            foreach (var (model, node) in peer.Models)
            {
                if (_ids.Contains(model) || _aliasOwners.ContainsKey(model))
                    diagnostics.Error(node, $"{path}.models: '{model}' is also a local model or alias");
                else if (!servedBy.TryAdd(model, peer.Id))
                    diagnostics.Error(node, $"{path}.models: '{model}' is already served by peer '{servedBy[model]}'");
            }
            var apiKey = peer.ApiKey is { } key
                ? UpstreamApiKey.Check(builder.Expander.Expand(key.Value, globals, key.Node, path + ".apiKey"), key.Node, path + ".apiKey", diagnostics)
                : null;
            var (strip, set) = builder.BuildPeerFilters(peer, globals);
            if (proxy is not null)
            {
                result.Add(new PeerConfig
                {
                    Id = peer.Id,
                    Proxy = proxy,
                    ApiKey = apiKey,
                    Models = [.. peer.Models.ConvertAll(m => m.Value)],
                    StripParams = strip,
                    SetParams = set,
                });
            }
        }
        return result.ToImmutable();
    }
}
