using TinySwap.Config.Yaml;

namespace TinySwap.Config.Macros;

/// <summary>Where a string sits decides which macros it may use.</summary>
internal enum MacroField
{
    /// <summary>cmd, proxy, checkEndpoint, env, filters, metadata, name...: every reference must resolve.</summary>
    Strict,

    /// <summary>cmdStop: <c>${PID}</c> stays for the supervisor to fill in at stop time.</summary>
    StopCommand,

    /// <summary>Hooks are /bin/sh scripts: known macros expand, other <c>${NAME}</c> are left for the shell.</summary>
    Shell,
}

/// <summary>Expands macros in one model's (or the global sections') strings, reporting every reference that cannot resolve.</summary>
internal sealed class MacroExpander(DiagnosticBag diagnostics)
{
    public string Expand(string text, MacroScope scope, YamlNode at, string path, MacroField field = MacroField.Strict) =>
        MacroReferences.Replace(text, name => Lookup(name, scope, at, path, field));

    /// <summary>The typed value of an exact reference such as <c>${temp}</c> or <c>${PORT}</c>, or null (with an error) when it cannot resolve.</summary>
    public MacroValue? Typed(string name, MacroScope scope, YamlNode at, string path)
    {
        if (name == MacroScope.Port)
            return scope.AllocatedPort is { } port ? MacroValue.Integer(port) : Unresolved(Lookup(name, scope, at, path, MacroField.Strict));
        if (name == MacroScope.ModelIdName && scope.ModelId is { } id)
            return MacroValue.String(id);
        if (scope.TryGetUser(name, out var value))
            return value.Kind == ScalarKind.String ? MacroValue.String(Lookup(name, scope, at, path, MacroField.Strict)!) : value;
        return Unresolved(Lookup(name, scope, at, path, MacroField.Strict));
    }

    private static MacroValue? Unresolved(string? text) => text is null ? null : MacroValue.String(text);

    private string? Lookup(string name, MacroScope scope, YamlNode at, string path, MacroField field)
    {
        switch (name)
        {
            case MacroScope.Port:
                if (scope.AllocatedPort is { } port)
                    return port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!scope.PortPending && field != MacroField.Shell)
                    diagnostics.Error(at, $"{path}: ${{PORT}} is only available when the model's cmd uses ${{PORT}}");
                return null;
            case MacroScope.Pid:
                if (field == MacroField.Strict)
                    diagnostics.Error(at, $"{path}: ${{PID}} is only available in cmdStop");
                return null;
            case MacroScope.ModelIdName when scope.ModelId is not null:
                return scope.ModelId;
        }
        // A macro's text may still hold ${PORT} or ${PID} (resolved per field, not per macro).
        if (scope.TryGetUser(name, out var value))
            return MacroReferences.Replace(value.Text, inner => inner is MacroScope.Port or MacroScope.Pid ? Lookup(inner, scope, at, path, field) : null);
        if (field != MacroField.Shell && !scope.IsBroken(name))
        {
            string[] known = [.. scope.UserNames, MacroScope.Port, MacroScope.ModelIdName];
            var where = scope.ModelId is null && name == MacroScope.ModelIdName ? " (only available inside a model)" : "";
            diagnostics.Error(at, $"{path}: unknown macro '${{{name}}}'{where}{KeySuggestion.Hint(name, known)}");
        }
        return null;
    }
}
