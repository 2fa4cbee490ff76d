namespace TinySwap.Config;

/// <summary>
/// The constructs .NET's regex syntax has and RE2 (Go's regexp, which llama-swap uses) refuses, found by a scan of the
/// pattern text: a pattern llama-swap would refuse is refused here too, and none of what remains needs backtracking
/// beyond what RE2 also matches.
/// </summary>
internal static class Re2Refusal
{
    /// <summary>A name for the first construct RE2 lacks, or null when there is none.</summary>
    public static string? Find(string pattern)
    {
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                if (!inClass && next is >= '1' and <= '9')
                    return "a backreference";
                if (!inClass && next == 'k' && i + 1 < pattern.Length && pattern[i + 1] is '<' or '\'' or '{')
                    return "a named backreference";
                continue;
            }
            if (inClass)
            {
                inClass = c != ']';
                continue;
            }
            if (c == '[')
            {
                inClass = true;
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    i++; // a ']' first in a class is a literal
                continue;
            }
            if (c != '(' || i + 2 >= pattern.Length || pattern[i + 1] != '?')
                continue;
            switch (pattern[i + 2])
            {
                case '=' or '!':
                    return "lookahead";
                case '<' when i + 3 < pattern.Length && pattern[i + 3] is '=' or '!':
                    return "lookbehind";
                case '>':
                    return "an atomic group";
                case '(':
                    return "a conditional";
            }
        }
        return null;
    }
}
