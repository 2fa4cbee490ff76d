using System.Collections.Immutable;

namespace TinySwap.Config;

/// <summary>What a load produced: a valid config (and its warnings), or every error found. Never an exception.</summary>
internal sealed record ConfigLoadResult(
    TinySwapConfig? Config,
    ImmutableArray<ConfigDiagnostic> Errors,
    ImmutableArray<ConfigDiagnostic> Warnings)
{
    public bool IsValid => Config is not null;
}
