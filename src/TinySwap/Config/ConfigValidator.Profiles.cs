using System.Collections.Immutable;

namespace TinySwap.Config;

internal sealed partial class ConfigValidator
{
    /// <summary>
    /// `profiles:` as llama-swap validates them: a non-blank name, at least one pin, non-blank pin names, and every target
    /// a model id, alias (`setParamsByID` names included), selector or peer model. A pin may shadow an existing name: while the
    /// profile is active the pin wins. Runs after <see cref="CheckNames"/>.
    /// </summary>
    public ImmutableArray<ProfileConfig> CheckProfiles()
    {
        var profiles = new List<ProfileConfig>(config.Profiles.Count);
        foreach (var profile in config.Profiles)
        {
            var path = $"profiles.{profile.Name}";
            if (profile.Name.Trim().Length == 0)
                diagnostics.Error(profile.KeyNode, "profiles: a profile name cannot be blank");
            if (profile.Pins.Count == 0)
                diagnostics.Error(profile.KeyNode, $"{path}: `pins:` is missing or empty (requested name → model id)");
            var pins = new SortedDictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (pin, keyNode, target) in profile.Pins)
            {
                if (pin.Trim().Length == 0)
                    diagnostics.Error(keyNode, $"{path}.pins: a pin name cannot be blank");
                else if (target is { } named && !IsRequestableName(named.Value))
                    diagnostics.Error(named.Node, $"{path}.pins.{pin}: no model, alias, selector or peer model '{named.Value}'{KeySuggestion.Hint(named.Value, [.. _ids, .. _aliasOwners.Keys])}");
                pins[pin] = target?.Value;
            }
            profiles.Add(new ProfileConfig { Name = profile.Name, Description = profile.Description, Pins = [.. pins] });
        }
        return [.. StableSort.ByOrdinal(profiles, p => p.Name)];
    }

    /// <summary>A name a request may use: a model id, an alias, a selector, or a peer model (`peer/model`, or a model only peers list).</summary>
    private bool IsRequestableName(string name)
    {
        if (_ids.Contains(name) || _aliasOwners.ContainsKey(name) || config.Selectors.Exists(s => s.Id == name))
            return true;
        foreach (var peer in config.Peers)
        {
            foreach (var (model, _) in peer.Models)
            {
                if (name == model || name == peer.Id + "/" + model)
                    return true;
            }
        }
        return false;
    }
}
