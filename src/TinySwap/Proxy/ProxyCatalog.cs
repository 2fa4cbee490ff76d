using TinySwap.Config;
using TinySwap.Proxy.Security;

namespace TinySwap.Proxy;

/// <summary>The configuration the proxy serves from and its name index, swapped as one on reload.</summary>
internal sealed class ProxyCatalog(TinySwapConfig config)
{
    public TinySwapConfig Config { get; } = config;
    public ModelNameIndex Names { get; } = new(config);
    public ApiKeys Keys { get; } = new(config.ApiKeys);
    public BrowserPolicy Browser { get; } = new(new HostAllowList(config.Listen, config.AllowedHosts), config.CorsAllowOrigins);
}
