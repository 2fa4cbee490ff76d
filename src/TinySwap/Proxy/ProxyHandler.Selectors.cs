using TinySwap.Contracts;
using TinySwap.Proxy.Selectors;

namespace TinySwap.Proxy;

internal sealed partial class ProxyHandler
{
    /// <summary>Name resolution for one model request (<see cref="ModelResolver"/>), logging a selector's choice as llama-swap does.</summary>
    private Resolution Resolved(in Resolution resolution)
    {
        if (resolution.Pick.Selector is { } selector && resolution.Pick.Target is { } target)
            SelectorLog.Selected(logger, selector.Id, target);
        return resolution;
    }

    /// <summary>Without a router (tests of the front door alone) every model reads as stopped.</summary>
    private sealed class StoppedModels : IModelStateReader
    {
        public static readonly StoppedModels Instance = new();

        public ModelState StateOf(string modelId) => ModelState.Stopped;
    }
}
