using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>One entry under `selectors:` as written (strings still carry their global macros).</summary>
internal sealed class RawSelector(string id, YamlNode keyNode)
{
    public string Id { get; } = id;
    public YamlNode KeyNode { get; } = keyNode;
    public Located<string>? Strategy { get; set; }
    public YamlNode? TargetsNode { get; set; }
    public List<Located<string>> Targets { get; } = [];

    /// <summary>`settings.spillover` as written; null when absent (then llama-swap's default of 1).</summary>
    public Located<long>? Spillover { get; set; }
    public Located<string>? Name { get; set; }
    public Located<string>? Description { get; set; }
    public bool Unlisted { get; set; }
    public YamlNode? Metadata { get; set; }
}
