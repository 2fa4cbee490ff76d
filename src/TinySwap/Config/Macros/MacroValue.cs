using System.Globalization;
using TinySwap.Config.Yaml;

namespace TinySwap.Config.Macros;

/// <summary>
/// A resolved macro: its YAML type and the text it becomes inside a string. The type matters where a value is
/// exactly <c>${name}</c> in metadata or setParams: <c>temperature: ${temp}</c> stays the number 0.7.
/// </summary>
internal readonly record struct MacroValue(ScalarKind Kind, string Text)
{
    public static MacroValue String(string text) => new(ScalarKind.String, text);
    public static MacroValue Integer(long value) => new(ScalarKind.Integer, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The typed value of a scalar as the core schema reads it, with numbers in canonical form (0x10 → 16, 0.70 → 0.7, like llama-swap's %v).</summary>
    public static MacroValue? FromScalar(string text, ScalarKind kind) => kind switch
    {
        ScalarKind.String => String(text),
        ScalarKind.Bool => CoreSchema.TryBool(text, out var b) ? new(ScalarKind.Bool, b ? "true" : "false") : null,
        ScalarKind.Integer => CoreSchema.TryInteger(text, out var l) ? Integer(l) : new(ScalarKind.Integer, text.TrimStart('+')),
        ScalarKind.Float => CoreSchema.TryFloat(text, out var d) && double.IsFinite(d)
            ? new(ScalarKind.Float, d.ToString("R", CultureInfo.InvariantCulture))
            : null,
        _ => null,
    };
}
