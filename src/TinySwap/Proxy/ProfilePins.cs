using System.Text;
using TinySwap.Config;

namespace TinySwap.Proxy;

/// <summary>What one pin of the active profile does with the name it matches.</summary>
internal readonly record struct PinTarget(string Target, ModelRoute? Route)
{
    /// <summary>`~` or "": the pinned name answers 404 while the profile is active.</summary>
    public bool SwitchedOff => Target.Length == 0;
}

/// <summary>
/// One profile's pins resolved against a config's names, built with the proxy's catalog: requested name → the route of
/// the pin's target, carrying the target as the name the upstream receives. A target that is no model name (a selector,
/// chosen per request; a peer model, until peers are forwarded to) has no route here.
/// </summary>
internal sealed class ProfilePins
{
    private readonly Dictionary<string, PinTarget> _pins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PinTarget>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public ProfilePins(ProfileConfig profile, ModelNameIndex names)
    {
        Profile = profile;
        foreach (var (pin, target) in profile.Pins)
        {
            _pins[pin] = new PinTarget(target ?? "", target is null ? null : names.RenamedRoute(target));
            LongestNameUtf8 = Math.Max(LongestNameUtf8, Encoding.UTF8.GetByteCount(pin));
        }
        _bySpan = _pins.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public ProfileConfig Profile { get; }

    public int LongestNameUtf8 { get; }

    public bool TryFind(ReadOnlySpan<char> name, out PinTarget pin) => _bySpan.TryGetValue(name, out pin);
}
