using System.Globalization;

namespace TinySwap.Tests.Support;

/// <summary>A scraped /metrics page as series → value, keyed by the sample line's name and labels exactly as written.</summary>
internal sealed class Exposition
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    public Exposition(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var space = line.LastIndexOf(' ');
            _samples[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
    }

    public string Text { get; }

    /// <summary>The value of a series such as <c>tinyswap_swaps_total{model="a"}</c>; fails when it is absent.</summary>
    public double this[string series] =>
        _samples.TryGetValue(series, out var value) ? value : throw new KeyNotFoundException($"no series {series} in:\n{Text}");

    public bool Has(string series) => _samples.ContainsKey(series);
}
