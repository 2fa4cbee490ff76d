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

    /// <summary>
    /// Peers as llama-swap checks them: every `PEER/MODEL` name is reserved (no local id or alias may take it, and no
    /// two peers may both produce it). A bare peer model id may equal a local one (the local one wins) or another
    /// peer's (then only the qualified names reach it); see <see cref="PeerIndex"/>.
    /// </summary>
    public ImmutableArray<PeerConfig> CheckPeers(ModelBuilder builder, MacroScope globals)
    {
        var result = ImmutableArray.CreateBuilder<PeerConfig>();
        var qualified = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var peer in config.Peers)
        {
            var path = $"peers.{peer.Id}";
            Uri? proxy = null;
            if (peer.Proxy is { } p)
            {
                var text = builder.Expander.Expand(p.Value, globals, p.Node, path + ".proxy");
                if (!Uri.TryCreate(text, UriKind.Absolute, out proxy) || proxy.Scheme is not ("http" or "https") || proxy.Host.Length == 0)
                {
                    diagnostics.Error(p.Node, $"{path}.proxy: '{text}' is not an http:// or https:// URL");
                    proxy = null;
                }
                else if (proxy.Query.Length > 0 || proxy.Fragment.Length > 0)
                {
                    diagnostics.Error(p.Node, $"{path}.proxy: '{text}' must not have a ?query or #fragment (the request path is appended to it)");
                    proxy = null;
                }
            }
            var models = new List<string>();
            foreach (var (model, node) in peer.Models)
            {
                if (models.Contains(model))
                    continue;
                models.Add(model);
                var name = PeerIndex.QualifiedName(peer.Id, model);
                if (_ids.Contains(name))
                    diagnostics.Error(node, $"{path}.models: '{name}' is also the id of a local model; peer model names are reserved");
                else if (_aliasOwners.TryGetValue(name, out var owner))
                    diagnostics.Error(node, $"{path}.models: '{name}' is also an alias of model '{owner}'; peer model names are reserved");
                else if (!qualified.TryAdd(name, peer.Id))
                    diagnostics.Error(node, $"{path}.models: '{name}' is ambiguous: peer '{qualified[name]}' has a model of that name too");
            }
            var apiKey = peer.ApiKey is { } key
                ? UpstreamApiKey.Check(builder.Expander.Expand(key.Value, globals, key.Node, path + ".apiKey"), key.Node, path + ".apiKey", diagnostics)
                : null;
            var caFile = CheckCaFile(peer, proxy, path);
            var (strip, set) = builder.BuildPeerFilters(peer, globals);
            if (proxy is not null)
            {
                result.Add(new PeerConfig
                {
                    Id = peer.Id,
                    Proxy = proxy,
                    ApiKey = apiKey,
                    CaFile = caFile,
                    Models = [.. models],
                    StripParams = strip,
                    SetParams = set,
                    Timeouts = peer.Timeouts with { },
                });
            }
        }
        return result.ToImmutable();
    }

    /// <summary>`caFile`: an absolute path to PEM certificates, read now so a wrong file fails the load, not the first request.</summary>
    private string? CheckCaFile(RawPeer peer, Uri? proxy, string path)
    {
        if (peer.CaFile is not { } file)
            return null;
        if (!Path.IsPathFullyQualified(file.Value))
        {
            diagnostics.Error(file.Node, $"{path}.caFile: '{file.Value}' is not an absolute path");
            return null;
        }
        if (PemCertificates.Check(file.Value) is { } problem)
        {
            diagnostics.Error(file.Node, $"{path}.caFile: {problem}");
            return null;
        }
        if (proxy is { Scheme: "http" })
            diagnostics.Warning(file.Node, $"{path}.caFile: ignored, the peer's proxy is http:// (no TLS)");
        return file.Value;
    }
}
