using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace TinySwap.Config;

/// <summary>
/// `upstream.ignorePaths`, compiled: requests to <c>/upstream/{model}/…</c> whose path (after the model, decoded, from
/// its '/') matches one of them must not start or swap their model. llama-swap's patterns are Go RE2, matched anywhere
/// in the path. They run on .NET's backtracking interpreter: the NonBacktracking engine would give RE2's linear time
/// but costs ~0.4 MB of binary (RegexEngines.Substitutions.xml trims it), so RE2's limits are kept another way: what
/// RE2 refuses (backreferences, lookaround, atomic groups, conditionals) is refused at load, and a match that runs past
/// <see cref="MatchTimeout"/> (a pathological pattern such as <c>(a+)+$</c> on a long path) counts as no match.
/// </summary>
internal sealed class UpstreamIgnorePaths
{
    /// <summary>llama-swap's default when the list is absent or empty: static files a web UI loads.</summary>
    public const string DefaultPattern = @".*\.(js|json|css|png|gif|jpg|jpeg|ico|txt)$";

    // CultureInvariant: case-insensitive matching ((?i)) must not depend on the machine's culture (RE2 has none).
    private const RegexOptions Options = RegexOptions.CultureInvariant;

    /// <summary>A path is at most a request line long; a sane pattern decides it in microseconds.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(20);

    private readonly Regex[] _patterns;

    private UpstreamIgnorePaths(Regex[] patterns) => _patterns = patterns;

    public static UpstreamIgnorePaths Default { get; } = new([new Regex(DefaultPattern, Options, MatchTimeout)]);

    /// <summary>The patterns as written (or the default), for reports.</summary>
    public ImmutableArray<string> Patterns => [.. _patterns.Select(p => p.ToString())];

    /// <summary>Whether <paramref name="path"/> (decoded, starting with '/') matches any pattern.</summary>
    public bool Matches(string path)
    {
        foreach (var pattern in _patterns)
        {
            try
            {
                if (pattern.IsMatch(path))
                    return true;
            }
            catch (RegexMatchTimeoutException)
            {
                // Not ignored: the request is served as any other would be (at worst it starts its model).
            }
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
            if (Re2Refusal.Find(text) is { } construct)
            {
                diagnostics.Error(node, $"{where}: '{text}' uses {construct}, which needs backtracking; RE2-style patterns (llama-swap's) do not have it");
                continue;
            }
            try
            {
                compiled.Add(new Regex(text, Options, MatchTimeout));
            }
            catch (RegexParseException ex)
            {
                diagnostics.Error(node, $"{where}: invalid regular expression '{text}': {ex.Error} at offset {ex.Offset}");
            }
        }
        return new UpstreamIgnorePaths([.. compiled]);
    }
}
