namespace TinySwap.Config;

/// <summary>"did you mean 'checkEndpoint'?" for a misspelt key or name, by edit distance.</summary>
internal static class KeySuggestion
{
    /// <summary>The closest candidate within a small edit distance (case-insensitive), or a prefix of it, or null.</summary>
    public static string? Closest(string typed, IEnumerable<string> candidates) => Nearest(typed, candidates, prefixCounts: true);

    /// <summary>
    /// The candidate <paramref name="typed"/> is a misspelling of (within a small edit distance, case-insensitive), or
    /// null. Unlike <see cref="Closest"/> a shared prefix alone does not count: `unload` or `maxRunningModels` are other
    /// words (llama-swap ignores them), not typos of `unloadTimeout` or `maxRunning`.
    /// </summary>
    public static string? Misspelt(string typed, IEnumerable<string> candidates) => Nearest(typed, candidates, prefixCounts: false);

    private static string? Nearest(string typed, IEnumerable<string> candidates, bool prefixCounts)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var budget = Math.Max(1, Math.Min(3, typed.Length / 3));
        foreach (var candidate in candidates)
        {
            // "warning" → "warn", "health" → "healthCheckTimeout": a prefix is a strong hint whatever the distance.
            var prefix = prefixCounts && Math.Min(typed.Length, candidate.Length) >= 4
                && (typed.StartsWith(candidate, StringComparison.OrdinalIgnoreCase) || candidate.StartsWith(typed, StringComparison.OrdinalIgnoreCase));
            var distance = prefix ? budget : Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance && distance <= budget)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>" (did you mean 'x'?)" or "" — ready to append to a message.</summary>
    public static string Hint(string typed, IEnumerable<string> candidates) =>
        Closest(typed, candidates) is { } match ? $" (did you mean '{match}'?)" : "";

    /// <summary>Optimal string alignment distance: Levenshtein plus adjacent transpositions ("tll" → "ttl" is one edit).</summary>
    public static int Distance(string a, string b)
    {
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    value = Math.Min(value, previous2[j - 2] + 1);
                current[j] = value;
            }
            (previous2, previous, current) = (previous, current, previous2);
        }
        return previous[b.Length];
    }
}
