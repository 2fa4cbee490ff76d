using TinySwap.Config.Yaml;
using static TinySwap.Config.Keys.KeyOrigin;

namespace TinySwap.Config.Keys;

/// <summary>One entry under `profiles:` (llama-swap's runtime-switchable model id rewrites).</summary>
internal static class ProfileKeys
{
    public static readonly ConfigSection<RawProfile> Section = new("profiles.ID", "Profiles",
    [
        new("description", LlamaSwap, "", "shown by `GET /api/profiles`", (at, p, v) => p.Description = at.Reader.String(v, at.Path) ?? ""),
        new("pins", LlamaSwap, "required", "requested model name → the model id, alias, selector or peer model that answers it while the profile is active; `~` or `\"\"` makes the name answer 404",
            (at, p, v) => ReadPins(at, p, v)),
    ]);

    /// <summary>
    /// `profiles:`: name → `{description, pins}`. The legacy list form (`name: [model, ...]`, models run together) is
    /// refused by current llama-swap; it loads here with one warning naming those profiles and is otherwise ignored.
    /// </summary>
    public static void Read(KeyContext at, RawConfig config, YamlNode value)
    {
        var legacy = new List<string>();
        YamlNode? firstLegacy = null;
        foreach (var (name, keyNode, body) in at.Reader.Entries(value, at.Path))
        {
            if (body.IsSequence)
            {
                legacy.Add(name);
                firstLegacy ??= keyNode;
                continue;
            }
            var profile = new RawProfile(name, keyNode);
            Section.Read(at.Reader, at.Sections, profile, body, NodeReader.Join(at.Path, name));
            config.Profiles.Add(profile);
        }
        if (firstLegacy is not null)
            at.Diagnostics.Warning(firstLegacy, $"{at.Path}: {string.Join(", ", legacy)}: the list form of profiles was removed from llama-swap " +
                "(it refuses it); ignored. A profile is now `NAME: {description: ..., pins: {requested: model}}`; models that run together are a group");
    }

    private static void ReadPins(KeyContext at, RawProfile profile, YamlNode value)
    {
        profile.HasPins = true;
        foreach (var (pin, keyNode, target) in at.Reader.Entries(value, at.Path))
        {
            // llama-swap decodes `~` and "" alike: the name is switched off while the profile is active.
            var text = at.Reader.String(target, NodeReader.Join(at.Path, pin));
            profile.Pins.Add((pin, keyNode, string.IsNullOrEmpty(text) ? null : new Located<string>(text, target)));
        }
    }
}
