using System.Collections.Immutable;
using TinySwap.Config.Keys;

namespace TinySwap.Config;

/// <summary>How a selector picks its target for each request (llama-swap's three strategies).</summary>
internal enum SelectorStrategy : byte
{
    /// <summary>The first ready target in order, else the first starting one, else the first (which then starts).</summary>
    Warm,

    /// <summary>Always the first target; the others are reference data.</summary>
    Pin,

    /// <summary>Fill active targets up to `settings.spillover` requests each, then start the next cold target.</summary>
    Spillover,
}

/// <summary>
/// One target of a selector: the name as written (a model id, an alias, `peer/model` or a peer's unqualified model id),
/// which the request is rewritten to, and what it resolves to.
/// </summary>
/// <param name="Name">As written; the request's `model` becomes this, so aliases keep their meaning.</param>
/// <param name="ModelId">The local model's id; null for a peer model.</param>
/// <param name="ResolvedId">The local model id, or the peer model as `peer/model`: what spillover counts requests by.</param>
internal sealed record SelectorTarget(string Name, string? ModelId, string ResolvedId)
{
    public bool IsLocal => ModelId is not null;
}

/// <summary>A selector (`selectors.ID`): a virtual model id that resolves to one of its targets per request.</summary>
internal sealed record SelectorConfig
{
    public required string Id { get; init; }
    public required SelectorStrategy Strategy { get; init; }

    /// <summary>In the order written; never empty.</summary>
    public required ImmutableArray<SelectorTarget> Targets { get; init; }

    /// <summary>`settings.spillover`: requests reserved per active target before the next one starts (spillover only).</summary>
    public int Spillover { get; init; } = (int)SelectorKeys.Spillover.Default;

    public string? Name { get; init; }
    public string? Description { get; init; }
    public bool Unlisted { get; init; }

    /// <summary>`metadata` as a JSON object's text, shown in /v1/models; null when absent.</summary>
    public string? MetadataJson { get; init; }

    /// <summary>The strategy as the config and /v1/models spell it.</summary>
    public string StrategyName => StrategyNames[(int)Strategy];

    public static readonly ImmutableArray<string> StrategyNames = ["warm", "pin", "spillover"];
}
