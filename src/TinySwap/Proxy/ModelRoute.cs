using TinySwap.Config;

namespace TinySwap.Proxy;

/// <summary>
/// Where a requested name leads: its model, the <c>setParamsByID</c> entry that name selects, and — when a profile pin
/// chose it — the pin's target, which the upstream receives as the request's model. Built once per config (names) or
/// per profile (pins), so a request allocates nothing to resolve its model.
/// </summary>
internal sealed class ModelRoute(ModelConfig model, ParamsById? variant, string? pinnedName = null)
{
    private RequestBodyFilter? _filter;
    private bool _filterBuilt;

    public ModelConfig Model { get; } = model;

    /// <summary>The model's <c>setParamsByID</c> entry for the requested (or pinned-to) name, applied after its <c>setParams</c>.</summary>
    public ParamsById? Variant { get; } = variant;

    /// <summary>The profile pin's target when a pin chose this route: llama-swap rewrites the request's model to it.</summary>
    public string? PinnedName { get; } = pinnedName;

    /// <summary>The <c>model</c> value the upstream receives instead of the requested one: <c>useModelName</c>, else the pin's target; null leaves it.</summary>
    public string? UpstreamName => string.IsNullOrEmpty(Model.UseModelName) ? PinnedName : Model.UseModelName;

    /// <summary>The JSON body rewrite for this route (null: the body is forwarded untouched), built on first use.</summary>
    public RequestBodyFilter? BodyFilter
    {
        get
        {
            // Building twice under a race is harmless: both results are equal and immutable.
            if (!Volatile.Read(ref _filterBuilt))
            {
                _filter = RequestBodyFilter.Build(Model, Variant, UpstreamName);
                Volatile.Write(ref _filterBuilt, true);
            }
            return _filter;
        }
    }
}
