using TinySwap.Config;

namespace TinySwap.Contracts;

/// <summary>
/// Which llama-swap profile is active: run-time state the API switches (<c>PUT /api/profiles/active</c>) and the proxy
/// applies (its pins). One immutable selection is swapped as a whole, so a request reads it once and sees one profile
/// from start to end. The selection remembers the config it was made under: after a reload none is active, without
/// anyone having to clear it (llama-swap selects none at start and after each reload).
/// </summary>
internal sealed class ActiveProfile
{
    private Selection? _selection;

    /// <summary>The active profile of <paramref name="config"/>, or null when none is (or it was chosen under another config).</summary>
    public ProfileConfig? For(TinySwapConfig config) =>
        Volatile.Read(ref _selection) is { } selection && ReferenceEquals(selection.Config, config) ? selection.Profile : null;

    /// <summary>Called after each <see cref="Select"/> with the profile now active (null: none); the host logs it.</summary>
    public Action<ProfileConfig?>? Selected { get; init; }

    /// <summary>Makes <paramref name="profile"/> (one of <paramref name="config"/>'s) the active one; null deactivates profiles.</summary>
    public void Select(TinySwapConfig config, ProfileConfig? profile)
    {
        Volatile.Write(ref _selection, profile is null ? null : new Selection(config, profile));
        Selected?.Invoke(profile);
    }

    private sealed record Selection(TinySwapConfig Config, ProfileConfig Profile);
}
