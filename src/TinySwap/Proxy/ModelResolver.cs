using TinySwap.Config;

namespace TinySwap.Proxy;

internal enum ResolveStatus : byte
{
    Found,

    /// <summary>No model answers to the name: 404 <c>model_not_found</c> listing the known names.</summary>
    Unknown,

    /// <summary>The active profile pins the name to `~`: 404 <c>model_not_found</c> saying so.</summary>
    SwitchedOff,
}

/// <summary>A name's outcome: the route on <see cref="ResolveStatus.Found"/>, else what to tell the client.</summary>
internal readonly record struct Resolution(ResolveStatus Status, ModelRoute? Route, string? Message)
{
    public static Resolution Found(ModelRoute route) => new(ResolveStatus.Found, route, null);
}

/// <summary>
/// The one place a requested model name becomes a route, in llama-swap's order: (1) the active profile's pins, which
/// may rename the request or switch the name off; (2) the config's ids, aliases and setParamsByID names. A step that
/// maps names to targets per request (llama-swap's selectors) belongs between the two. A resolver is a snapshot: the
/// catalog and the profile the request read once, at its start.
/// </summary>
internal readonly struct ModelResolver(ModelNameIndex names, ProfilePins? pins)
{
    public ModelNameIndex Names => names;

    public ProfilePins? Pins => pins;

    public Resolution Resolve(ReadOnlySpan<char> requested)
    {
        if (pins is not null && pins.TryFind(requested, out var pin))
            return Pinned(requested, pin);
        return names.FindRoute(requested) is { } route
            ? Resolution.Found(route)
            : new Resolution(ResolveStatus.Unknown, null, names.UnknownModelMessage(requested));
    }

    /// <summary><see cref="Resolve(ReadOnlySpan{char})"/> for a UTF-8 name (invalid UTF-8, or longer than any name, is unknown).</summary>
    public Resolution ResolveUtf8(ReadOnlySpan<byte> requested)
    {
        var longest = Math.Max(names.LongestNameUtf8, pins?.LongestNameUtf8 ?? 0);
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

    /// <summary>What a matched pin means: its target's route, the name switched off, or a target the proxy cannot reach.</summary>
    public Resolution Pinned(ReadOnlySpan<char> requested, PinTarget pin)
    {
        if (pin.SwitchedOff)
            return new Resolution(ResolveStatus.SwitchedOff, null,
                $"model '{Echo(requested)}' is switched off while profile '{pins!.Profile.Name}' is active");
        return pin.Route is { } route
            ? Resolution.Found(route)
            : new Resolution(ResolveStatus.Unknown, null,
                $"model '{Echo(requested)}' is pinned by profile '{pins!.Profile.Name}' to '{pin.Target}', which this server cannot route to");
    }

    private static string Echo(ReadOnlySpan<char> name) =>
        name.Length <= ModelNameIndex.MaxEchoedNameLength ? name.ToString() : string.Concat(name[..ModelNameIndex.MaxEchoedNameLength], "…");
}
