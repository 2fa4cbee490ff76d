using TinySwap.Config.Yaml;

namespace TinySwap.Config.Macros;

/// <summary>A macro as written under `macros:` (value text already has ${env.X} expanded), not yet resolved.</summary>
internal sealed record MacroDefinition(string Name, YamlNode KeyNode, YamlNode ValueNode, string Text, ScalarKind Kind);
