using TinySwap.Config;
using TinySwap.Http.Upstream;
using TinySwap.Proxy.Forwarding;
using TinySwap.Proxy.Security;
using TinySwap.Proxy.Selectors;

namespace TinySwap.Proxy;

/// <summary>The configuration the proxy serves from and what is derived from it, swapped as one on reload.</summary>
internal sealed class ProxyCatalog
{
    private readonly Dictionary<string, RequestHeaderRules> _modelKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<ProfileConfig, ProfilePins> _pins = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, PeerRoute> _peerRoutes = new(StringComparer.Ordinal);
    private readonly RequestHeaderRules _defaultRules;

    public ProxyCatalog(TinySwapConfig config)
    {
        Config = config;
        Names = new ModelNameIndex(config);
        Selectors = new ModelSelectors(config);
        Keys = new ApiKeys(config.ApiKeys);
        Browser = new BrowserPolicy(new HostAllowList(config.Listen, config.AllowedHosts), config.CorsAllowOrigins);
        foreach (var profile in config.Profiles)
            _pins[profile] = new ProfilePins(profile, Names);
        _defaultRules = Keys.IsRequired ? RequestHeaderRules.KeepClientKeys : RequestHeaderRules.PassClientKeys;
        foreach (var model in config.Models)
        {
            // A key that cannot be a header value is never sent (the config validator reports it); the client's
            // headers are still kept back, since they were meant to be replaced.
            if (model.ApiKey is { } key)
                _modelKeys[model.Id] = RulesForKey(key);
        }
        foreach (var peer in config.Peers)
        {
            // A peer's apiKey replaces the client's key headers, as a model's does; without one they pass only when
            // tinyswap has no apiKeys of its own.
            var rules = peer.ApiKey is { } key ? RulesForKey(key) : _defaultRules;
            _peerRoutes[peer.Id] = new PeerRoute(peer, rules);
        }
    }

    private RequestHeaderRules RulesForKey(string key) =>
        RequestHeaderRules.IsValidKey(key) ? new RequestHeaderRules(Keys.IsRequired, key) : RequestHeaderRules.KeepClientKeys;

    public TinySwapConfig Config { get; }
    public ModelNameIndex Names { get; }

    /// <summary>Peer models, asked after <see cref="Names"/> missed: local ids and aliases win.</summary>
    public PeerIndex Peers => Config.PeerModels;

    /// <summary>`selectors:`: virtual ids resolved to a target per request, after name lookup found no model.</summary>
    public ModelSelectors Selectors { get; }
    public ApiKeys Keys { get; }
    public BrowserPolicy Browser { get; }

    /// <summary>
    /// Name resolution for one request under <paramref name="activeProfile"/> (read once by the caller): a profile of
    /// another config — a reload happened in between — counts as none.
    /// </summary>
    public ModelResolver Resolver(ProfileConfig? activeProfile, Contracts.IModelStateReader? states = null) =>
        new(Names, activeProfile is not null && _pins.TryGetValue(activeProfile, out var pins) ? pins : null, Selectors, states, Peers);

    /// <summary>How requests reach <paramref name="peer"/> (one of this config's peers).</summary>
    public PeerRoute PeerRouteOf(PeerConfig peer) => _peerRoutes[peer.Id];

    /// <summary>Which credentials the forwarder keeps back from, and adds for, <paramref name="model"/>.</summary>
    public RequestHeaderRules HeaderRulesFor(ModelConfig model) =>
        model.ApiKey is null ? _defaultRules : _modelKeys.GetValueOrDefault(model.Id, _defaultRules);
}

/// <summary>What every request to one peer shares, built once per config: credentials, pool settings, timeouts, name.</summary>
internal sealed class PeerRoute(PeerConfig peer, RequestHeaderRules headerRules)
{
    public RequestHeaderRules HeaderRules { get; } = headerRules;

    /// <summary>The peer's timeouts and trusted CAs, for its connection pool.</summary>
    public UpstreamEndpoint Endpoint { get; } = new()
    {
        ConnectTimeout = peer.Timeouts.Connect,
        IdleTimeout = peer.Timeouts.IdleConn,
        TlsHandshakeTimeout = peer.Timeouts.TlsHandshake,
        TcpKeepAlive = peer.Timeouts.KeepAlive,
        CaFile = peer.CaFile,
    };

    /// <summary>`timeouts.responseHeader`; 0 is no limit.</summary>
    public TimeSpan? ResponseHeadersTimeout { get; } = peer.Timeouts.ResponseHeader > TimeSpan.Zero ? peer.Timeouts.ResponseHeader : null;

    /// <summary>How 502/504 messages name it.</summary>
    public string DisplayName { get; } = $"peer '{peer.Id}'";
}
