using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Http;
using TinySwap.Proxy.Selectors;

namespace TinySwap.Proxy;

internal enum ResolveStatus : byte
{
    Found,

    /// <summary>No model answers to the name: 404 <c>model_not_found</c> listing the known names.</summary>
    Unknown,

    /// <summary>The active profile pins the name to `~`: 404 <c>model_not_found</c> saying so.</summary>
    SwitchedOff,

    /// <summary>A selector could not choose a target (every spillover target is stopping): 503, as llama-swap answers.</summary>
    Unavailable,
}

/// <summary>
/// A name's outcome: on <see cref="ResolveStatus.Found"/> the local route, or else the <see cref="Peer"/> model that serves
/// it; otherwise what to tell the client. <see cref="Pick"/> is the selector's choice when one was made; release it when
/// the response ends.
/// </summary>
internal readonly record struct Resolution(ResolveStatus Status, ModelRoute? Route, string? Message, SelectorPick Pick = default, PeerModel? Peer = null)
{
    public OpenAiErrorKind Problem => Status == ResolveStatus.Unavailable ? OpenAiError.ServiceUnavailable : OpenAiError.ModelNotFound;
}

/// <summary>
/// The one place a requested model name becomes a route, in llama-swap's order: (1) the active profile's pins, which
/// may rename the request or switch the name off; (2) selectors, virtual ids that pick one of their targets per request
/// (a pin may target a selector); (3) the config's ids, aliases and setParamsByID names; (4) peer models (`PEER/MODEL`, or
/// a bare id one peer serves), so local names always win and a pin or selector may target a peer model. A resolver is a
/// snapshot: the catalog and the profile the request read once, at its start.
/// </summary>
internal readonly struct ModelResolver(ModelNameIndex names, ProfilePins? pins, ModelSelectors? selectors = null, IModelStateReader? states = null,
    PeerIndex? peers = null)
{
    public ModelNameIndex Names => names;

    public ProfilePins? Pins => pins;

    public PeerIndex? Peers => peers;

    public Resolution Resolve(ReadOnlySpan<char> requested)
    {
        var name = requested;
        var renamed = false;
        if (pins is not null && pins.TryFind(requested, out var pin))
        {
            if (pin.SwitchedOff || pin.Route is not null)
                return Pinned(requested, pin);
            // A selector, or a name this server cannot route.
            name = pin.Target;
            renamed = true;
        }

        SelectorPick pick = default;
        if (selectors is not null && states is not null && selectors.TrySelect(name, states, out pick))
        {
            if (pick.Target is not { } target)
                return new Resolution(ResolveStatus.Unavailable, null, pick.Problem);
            name = target;
            renamed = true;
        }

        if ((renamed ? names.RenamedRoute(name) : names.FindRoute(name)) is { } route)
            return new Resolution(ResolveStatus.Found, route, null, pick);
        if (peers?.Find(name) is { } peer)
            return new Resolution(ResolveStatus.Found, null, null, pick, peer);
        // A pin's or selector's target this server cannot route answers as naming it does.
        pick.Release();
        return new Resolution(ResolveStatus.Unknown, null, names.UnknownModelMessage(renamed ? name : requested));
    }

    /// <summary><see cref="Resolve(ReadOnlySpan{char})"/> for a UTF-8 name (invalid UTF-8, or longer than any name, is unknown).</summary>
    public Resolution ResolveUtf8(ReadOnlySpan<byte> requested)
    {
        var longest = Math.Max(names.LongestNameUtf8, Math.Max(pins?.LongestNameUtf8 ?? 0, selectors?.LongestIdUtf8 ?? 0));
        if (peers is { IsEmpty: false })
            longest = Math.Max(longest, PeerIndex.MaxNameBytes);
        return requested.Length <= longest && ModelNameIndex.TryDecodeThen(requested, this, static (name, resolver) => resolver.Resolve(name), out var resolution)
            ? resolution
            : new Resolution(ResolveStatus.Unknown, null, names.UnknownModelMessageUtf8(requested));
    }

    /// <summary>The active profile's pin for a UTF-8 name, if it has one.</summary>
    public bool TryFindPinUtf8(ReadOnlySpan<byte> name, out PinTarget pin)
    {
        pin = default;
        return pins is not null && name.Length <= pins.LongestNameUtf8
            && ModelNameIndex.TryDecodeThen(name, pins, static (chars, table) => table.TryFind(chars, out var found) ? found : default, out pin)
            && pin.Target is not null;
    }

    /// <summary>
    /// What a matched pin means: its target's route, the name switched off, the peer model its target names, or a target
    /// the proxy cannot reach.
    /// </summary>
    public Resolution Pinned(ReadOnlySpan<char> requested, PinTarget pin)
    {
        if (pin.SwitchedOff)
            return new Resolution(ResolveStatus.SwitchedOff, null,
                $"model '{Echo(requested)}' is switched off while profile '{pins!.Profile.Name}' is active");
        if (pin.Route is { } route)
            return new Resolution(ResolveStatus.Found, route, null);
        return peers?.Find(pin.Target) is { } peer
            ? new Resolution(ResolveStatus.Found, null, null, Peer: peer)
            : new Resolution(ResolveStatus.Unknown, null, names.UnknownModelMessage(pin.Target));
    }

    private static string Echo(ReadOnlySpan<char> name) =>
        name.Length <= ModelNameIndex.MaxEchoedNameLength ? name.ToString() : string.Concat(name[..ModelNameIndex.MaxEchoedNameLength], "…");
}
