using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace TinySwap.Config;

/// <summary>
/// `upstream.ignorePaths`, compiled: requests to <c>/upstream/{model}/…</c> whose path (after the model, decoded, from
/// its '/') matches one of them must not start or swap their model. llama-swap's patterns are Go RE2, matched anywhere
/// in the path; .NET's NonBacktracking engine has RE2's guarantee (time linear in the path, whatever the pattern) and
/// RE2's refusals (no backreferences, no lookaround), so a pattern llama-swap refuses is refused here too.
/// </summary>
internal sealed class UpstreamIgnorePaths
{
    /// <summary>llama-swap's default when the list is absent or empty: static files a web UI loads.</summary>
    public const string DefaultPattern = @".*\.(js|json|css|png|gif|jpg|jpeg|ico|txt)$";

    // CultureInvariant: case-insensitive matching ((?i)) must not depend on the machine's culture (RE2 has none).
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    private readonly Regex[] _patterns;

    private UpstreamIgnorePaths(Regex[] patterns) => _patterns = patterns;

    public static UpstreamIgnorePaths Default { get; } = new([new Regex(DefaultPattern, Options)]);

    /// <summary>The patterns as written (or the default), for reports.</summary>
    public ImmutableArray<string> Patterns => [.. _patterns.Select(p => p.ToString())];

    /// <summary>Whether <paramref name="path"/> (decoded, starting with '/') matches any pattern.</summary>
    public bool Matches(string path)
    {
        foreach (var pattern in _patterns)
        {
            if (pattern.IsMatch(path))
                return true;
        }
        return false;
    }

    /// <summary>Compiles the configured patterns, reporting each invalid one at its position; the default when there are none.</summary>
    public static UpstreamIgnorePaths Compile(List<Located<string>> patterns, DiagnosticBag diagnostics)
    {
        if (patterns.Count == 0)
            return Default;
        var compiled = new List<Regex>(patterns.Count);
        for (var i = 0; i < patterns.Count; i++)
        {
            var (text, node) = patterns[i];
            var where = $"upstream.ignorePaths[{i}]";
            try
            {
                compiled.Add(new Regex(text, Options));
            }
            catch (RegexParseException ex)
            {
                diagnostics.Error(node, $"{where}: invalid regular expression '{text}': {ex.Error} at offset {ex.Offset}");
            }
            catch (NotSupportedException ex)
            {
                // Backreferences, lookaround, atomic groups, conditionals: RE2 (llama-swap) refuses them as well.
                diagnostics.Error(node, $"{where}: '{text}' needs backtracking, which RE2-style patterns do not have: {ex.Message}");
            }
        }
        return new UpstreamIgnorePaths([.. compiled]);
    }
}
