using TinySwap.Config.Yaml;

namespace TinySwap.Config.Macros;

/// <summary>
/// Resolves `macros:` into a scope, in llama-swap's order: MODEL_ID, the global macros (a model's own macro of the
/// same name takes the global's place, so globals built on it see the model's value), then the model's new macros.
/// A macro may use macros before it; using itself or a later one is an error. <c>${PORT}</c> and <c>${PID}</c> stay
/// in place until the field that uses the macro is expanded.
/// </summary>
internal sealed class MacroResolver(DiagnosticBag diagnostics)
{
    public MacroScope Resolve(IReadOnlyList<MacroDefinition> globals, IReadOnlyList<MacroDefinition> locals, string? modelId)
    {
        var ordered = new List<MacroDefinition>(globals.Count + locals.Count);
        ordered.AddRange(globals);
        foreach (var local in locals)
        {
            var index = ordered.FindIndex(d => d.Name == local.Name);
            if (index >= 0)
                ordered[index] = local;
            else
                ordered.Add(local);
        }

        var scope = new MacroScope(modelId);
        var allNames = new HashSet<string>(ordered.ConvertAll(d => d.Name), StringComparer.Ordinal);
        foreach (var definition in ordered)
        {
            if (ResolveOne(definition, scope, allNames) is { } value)
                scope.Define(definition.Name, value);
            else
                scope.DefineBroken(definition.Name);
        }
        return scope;
    }

    private MacroValue? ResolveOne(MacroDefinition definition, MacroScope scope, HashSet<string> allNames)
    {
        var path = $"macros.{definition.Name}";
        if (definition.Kind != ScalarKind.String)
        {
            var typed = MacroValue.FromScalar(definition.Text, definition.Kind);
            if (typed is null)
                diagnostics.Error(definition.ValueNode, $"{path}: a macro value must be text, a finite number or true/false");
            return typed;
        }
        if (MacroReferences.Contains(definition.Text, definition.Name))
        {
            diagnostics.Error(definition.ValueNode, $"{path}: macro '{definition.Name}' refers to itself");
            return null;
        }
        // `b: ${a}` makes b a copy of a, type included.
        if (MacroReferences.TryWhole(definition.Text, out var whole) && scope.TryGetUser(whole, out var copied))
            return copied;

        var failed = false;
        var text = MacroReferences.Replace(definition.Text, name =>
        {
            if (name is MacroScope.Port or MacroScope.Pid)
                return null;
            if (name == MacroScope.ModelIdName)
                return scope.ModelId;
            if (scope.TryGetUser(name, out var value))
                return value.Text;
            failed = true;
            if (scope.IsBroken(name))
                return null;
            diagnostics.Error(definition.ValueNode, allNames.Contains(name)
                ? $"{path}: uses '${{{name}}}', which is defined after it (a macro may only use macros defined before it)"
                : $"{path}: unknown macro '${{{name}}}'{KeySuggestion.Hint(name, allNames)}");
            return null;
        });
        return failed ? null : MacroValue.String(text);
    }
}
