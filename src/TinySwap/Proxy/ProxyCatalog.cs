using TinySwap.Config;
using TinySwap.Proxy.Forwarding;
using TinySwap.Proxy.Security;
using TinySwap.Proxy.Selectors;

namespace TinySwap.Proxy;

/// <summary>The configuration the proxy serves from and what is derived from it, swapped as one on reload.</summary>
internal sealed class ProxyCatalog
{
    private readonly Dictionary<string, RequestHeaderRules> _modelKeys = new(StringComparer.Ordinal);
    private readonly RequestHeaderRules _defaultRules;

    public ProxyCatalog(TinySwapConfig config)
    {
        Config = config;
        Names = new ModelNameIndex(config);
        Selectors = new ModelSelectors(config);
        Keys = new ApiKeys(config.ApiKeys);
        Browser = new BrowserPolicy(new HostAllowList(config.Listen, config.AllowedHosts), config.CorsAllowOrigins);
        _defaultRules = Keys.IsRequired ? RequestHeaderRules.KeepClientKeys : RequestHeaderRules.PassClientKeys;
        foreach (var model in config.Models)
        {
            // A key that cannot be a header value is never sent (the config validator reports it); the client's
            // headers are still kept back, since they were meant to be replaced.
            if (model.ApiKey is { } key)
                _modelKeys[model.Id] = RequestHeaderRules.IsValidKey(key) ? new RequestHeaderRules(Keys.IsRequired, key) : RequestHeaderRules.KeepClientKeys;
        }
    }

    public TinySwapConfig Config { get; }
    public ModelNameIndex Names { get; }

    /// <summary>`selectors:`: virtual ids resolved to a target per request, after name lookup found no model.</summary>
    public ModelSelectors Selectors { get; }
    public ApiKeys Keys { get; }
    public BrowserPolicy Browser { get; }

    /// <summary>Which credentials the forwarder keeps back from, and adds for, <paramref name="model"/>.</summary>
    public RequestHeaderRules HeaderRulesFor(ModelConfig model) =>
        model.ApiKey is null ? _defaultRules : _modelKeys.GetValueOrDefault(model.Id, _defaultRules);
}
