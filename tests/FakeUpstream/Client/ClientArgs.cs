using System.Globalization;

namespace FakeUpstream.Client;

/// <summary>"--name value" flags of the client modes, and whatever follows a "--" (a command to run).</summary>
internal sealed class ClientArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public string[] Command { get; private set; } = [];

    /// <summary>Parses the flags; returns null and prints why when a flag has no value.</summary>
    public static ClientArgs? Parse(string[] args)
    {
        var parsed = new ClientArgs();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--")
            {
                parsed.Command = args[(i + 1)..];
                break;
            }
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"fake: bad client argument '{args[i]}'\n{Options.Usage}");
                return null;
            }
            parsed._values[args[i][2..]] = args[++i];
        }
        return parsed;
    }

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public int Number(string name, int fallback) =>
        _values.TryGetValue(name, out var text) ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;
}

/// <summary>Percentiles over a sorted sample, nearest-rank (no interpolation: what was actually observed).</summary>
internal static class Percentile
{
    public static long Of(List<long> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
