using System.Collections.Immutable;
using TinySwap.Config.Keys;
using TinySwap.Config.Macros;
using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>cmd, cmdStop, ${PORT}, proxy and checkEndpoint.</summary>
internal sealed partial class ModelBuilder
{
    private ImmutableArray<string> BuildCommand(RawModel model, MacroScope scope, string path)
    {
        if (model.Cmd is not { } cmd)
            return [];
        // llama-swap allocates a port only to models whose cmd uses ${PORT}, possibly through a macro.
        scope.PortPending = true;
        var probe = _expander.Expand(CommandLineSplitter.WithoutCommentLines(cmd.Value), scope, cmd.Node, path + ".cmd");
        scope.PortPending = false;
        if (MacroReferences.Contains(probe, MacroScope.Port))
        {
            if (_nextPort > 65535)
                Diagnostics.Error(cmd.Node, $"{path}.cmd: no port left for ${{PORT}} (startPort {_config.FirstPort} plus one per model runs past 65535)");
            else
                scope.AllocatedPort = _nextPort++;
        }
        return SplitCommand(cmd, scope, path + ".cmd", MacroField.Strict);
    }

    /// <summary>Drops comment lines, checks quoting against the text as written (exact positions), expands macros, splits.</summary>
    private ImmutableArray<string> SplitCommand(Located<string> command, MacroScope scope, string path, MacroField field)
    {
        var text = CommandLineSplitter.WithoutCommentLines(command.Value);
        var written = CommandLineSplitter.Split(text);
        if (!written.Succeeded)
        {
            ReportSplitError(written, command.Node, path, afterMacros: false);
            return [];
        }
        if (!written.HashWords.IsEmpty)
        {
            var (line, column) = written.HashWords[0];
            var at = ScalarPosition.Locate(command.Node, _sourceLines, line, column) ?? command.Node.Position;
            Diagnostics.Warning(at, $"{path}: '#' after arguments is not a comment here: it and the words after it are passed to the program, as llama-swap does (put comments on their own line)");
        }
        var expanded = CommandLineSplitter.Split(_expander.Expand(text, scope, command.Node, path, field));
        if (!expanded.Succeeded)
        {
            ReportSplitError(expanded, command.Node, path, afterMacros: true);
            return [];
        }
        if (expanded.Arguments.IsEmpty)
            Diagnostics.Error(command.Node, $"{path}: the command is empty");
        return expanded.Arguments;
    }

    private void ReportSplitError(CommandSplit split, YamlNode node, string path, bool afterMacros)
    {
        if (!afterMacros && ScalarPosition.Locate(node, _sourceLines, split.Line, split.Column) is { } exact)
        {
            Diagnostics.Error(exact, $"{path}: {split.Error}");
            return;
        }
        var when = afterMacros ? " after macro expansion" : "";
        Diagnostics.Error(node, $"{path}: {split.Error} (line {split.Line}, column {split.Column} of the command{when})");
    }

    private Uri? BuildProxy(RawModel model, MacroScope scope, string path)
    {
        string text;
        YamlNode node;
        if (model.Proxy is { } proxy)
        {
            var errorsBefore = Diagnostics.ErrorCount;
            text = _expander.Expand(proxy.Value, scope, proxy.Node, path + ".proxy");
            node = proxy.Node;
            if (Diagnostics.ErrorCount != errorsBefore)
                return null;
        }
        else if (scope.AllocatedPort is { } port)
        {
            text = DefaultProxy.Replace("${PORT}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            node = model.KeyNode;
        }
        else
        {
            if (model.Cmd is not null)
                Diagnostics.Error(model.KeyNode, $"{path}: cmd does not use ${{PORT}}, so set `proxy:` to where the server listens (e.g. http://127.0.0.1:9000)");
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            Diagnostics.Error(node, $"{path}.proxy: '{text}' is not an http:// or https:// URL");
            return null;
        }
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            Diagnostics.Error(node, $"{path}.proxy: '{text}' must not have a ?query or #fragment (the request path is appended to it)");
            return null;
        }
        return uri;
    }

    private string? BuildCheckEndpoint(RawModel model, MacroScope scope, string path)
    {
        if (model.CheckEndpoint is not { } check)
            return ModelKeys.CheckEndpoint.Default;
        var text = _expander.Expand(check.Value, scope, check.Node, path + ".checkEndpoint");
        if (text == "none")
            return null;
        if (!text.StartsWith('/'))
            Diagnostics.Error(check.Node, $"{path}.checkEndpoint: expected a path starting with '/' (or none to skip health checks), got '{text}'");
        return text;
    }
}
