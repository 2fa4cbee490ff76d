using TinySwap.Config.Yaml;
using static TinySwap.Config.Keys.KeyOrigin;

namespace TinySwap.Config.Keys;

/// <summary>
/// llama-swap's `selectors:`: virtual model ids that resolve to one of their targets per request. Checked by
/// <see cref="ConfigValidator"/> (CheckSelectors); the per-request choice is the proxy's SelectorChooser.
/// </summary>
internal static class SelectorKeys
{
    public static readonly ConfigKey<RawSelector, long> Spillover = new("spillover", LlamaSwap, 1, "1",
        "spillover only: requests reserved per active target before the next target starts; at least 1",
        (at, s, v) =>
        {
            // Range checked by the validator, which says what the number means; here only that it is one.
            if (at.Reader.Integer(v, at.Path, long.MinValue) is { } spillover)
                s.Spillover = new(spillover, v);
        });

    public static readonly ConfigSection<RawSelector> Settings = new("selectors.ID.settings", "Selector settings", [Spillover]);

    public static readonly ConfigSection<RawSelector> Section = new("selectors.ID", "Selectors",
    [
        Key.Text<RawSelector>("strategy", LlamaSwap, "required", (s, v) => s.Strategy = v,
            "`warm` (the first ready target, else the first starting one, else the first), `pin` (always the first) or `spillover` (see Selectors)"),
        new("targets", LlamaSwap, "required", "model ids, aliases or peer models (`peer/model`, or a model id exactly one peer serves), in order; never another selector",
            (at, s, v) =>
            {
                s.TargetsNode = v;
                s.Targets.AddRange(RawConfigReader.Located(at.Reader.StringList(v, at.Path)));
            }),
        new("settings", LlamaSwap, "", "`spillover`", (at, s, v) => Settings.Read(at.Reader, at.Sections, s, v, at.Path)),
        Key.Text<RawSelector>("name", LlamaSwap, "", (s, v) => s.Name = v, "shown in `/v1/models`"),
        Key.Text<RawSelector>("description", LlamaSwap, "", (s, v) => s.Description = v, "shown in `/v1/models`"),
        Key.Bool<RawSelector>("unlisted", LlamaSwap, false, (s, v) => s.Unlisted = v, "hidden from `/v1/models`, still usable"),
        new("metadata", LlamaSwap, "", "any YAML mapping, shown as JSON in `/v1/models` (with the selector's `type`, `strategy`, `targets`)",
            (at, s, v) =>
            {
                if (!v.IsNull && !v.IsMapping)
                    at.Diagnostics.Error(v, $"{at.Path}: expected a mapping of values shown in /v1/models, got {v.Describe()}");
                else if (v.IsMapping)
                    s.Metadata = v;
            }),
    ]);

    /// <summary>Reads the `selectors:` mapping: selector id → its settings.</summary>
    public static void ReadAll(KeyContext at, RawConfig config, YamlNode value)
    {
        foreach (var (id, idNode, body) in at.Reader.Entries(value, at.Path))
        {
            var selector = new RawSelector(id, idNode);
            var path = NodeReader.Join(at.Path, id);
            if (body.IsMapping)
                Section.Read(at.Reader, at.Sections, selector, body, path);
            else
                at.Diagnostics.Error(body, $"{path}: expected the selector's settings (strategy:, targets:, ...), got {body.Describe()}");
            config.Selectors.Add(selector);
        }
    }
}
