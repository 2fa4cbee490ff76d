using TinySwap.Config;

namespace TinySwap.Proxy;

/// <summary>
/// Where a requested name leads: its model, the <c>setParamsByID</c> entry that name selects, and — when a profile pin
/// or a selector chose it — the name it was rewritten to, which the upstream receives as the request's model. Built
/// once per config, so a request allocates nothing to resolve its model.
/// </summary>
internal sealed class ModelRoute(ModelConfig model, ParamsById? variant, string? renamedTo = null)
{
    private RequestBodyFilter? _filter;
    private bool _filterBuilt;

    public ModelConfig Model { get; } = model;

    /// <summary>The model's <c>setParamsByID</c> entry for the requested (or pinned-to) name, applied after its <c>setParams</c>.</summary>
    public ParamsById? Variant { get; } = variant;

    /// <summary>The profile pin's or selector's target when one chose this route: llama-swap rewrites the request's model to it.</summary>
    public string? RenamedTo { get; } = renamedTo;

    /// <summary>The <c>model</c> value the upstream receives instead of the requested one: <c>useModelName</c>, else <see cref="RenamedTo"/>; null leaves it.</summary>
    public string? UpstreamName => string.IsNullOrEmpty(Model.UseModelName) ? RenamedTo : Model.UseModelName;

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
