using System.Collections.Immutable;

namespace TinySwap.Config;

/// <summary>
/// A llama-swap profile: named rewrites of requested model names, applied before aliases, filters and routing while
/// the profile is the active one (none is, at start and after each reload).
/// </summary>
internal sealed record ProfileConfig
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";

    /// <summary>Requested name → the name that answers it instead; a null target answers 404 while active. Sorted by name.</summary>
    public ImmutableArray<KeyValuePair<string, string?>> Pins { get; init; } = [];
}
