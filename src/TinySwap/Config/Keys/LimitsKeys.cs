using static TinySwap.Config.Keys.KeyOrigin;

namespace TinySwap.Config.Keys;

/// <summary>
/// Our top-level `limits:` section, onto <see cref="HttpLimits"/>. Sizes are written in the unit their name carries
/// (KB = 1024 bytes, MB = 1024 KB), durations in seconds; anything left out keeps its default.
/// </summary>
internal static class LimitsKeys
{
    private const long KB = 1024;
    private const long MB = 1024 * 1024;

    public static readonly ConfigKey<RawConfig, long> MaxRequestLine = Size("maxRequestLineKB", 8, KB, int.MaxValue,
        (l, v) => l with { MaxRequestLineBytes = (int)v }, "longest request line (method, target, version)");

    public static readonly ConfigKey<RawConfig, long> MaxHeader = Size("maxHeaderKB", 32, KB, int.MaxValue,
        (l, v) => l with { MaxHeaderBytes = (int)v }, "largest request head (request line and headers)");

    public static readonly ConfigKey<RawConfig, long> MaxHeaderCount = Count("maxHeaderCount", 100,
        (l, v) => l with { MaxHeaderCount = v }, "most header fields in a request");

    public static readonly ConfigKey<RawConfig, long> MaxBody = Size("maxBodyMB", 64, MB, long.MaxValue,
        (l, v) => l with { MaxBodyBytes = v }, "largest request body (413 beyond)");

    public static readonly ConfigKey<RawConfig, TimeSpan> HeadersTimeout = Key.PositiveSeconds<RawConfig>("headersTimeout", Ours, 30,
        (c, v) => c.Limits = c.Limits with { HeadersTimeout = v }, "time allowed to send a request head");

    public static readonly ConfigKey<RawConfig, TimeSpan> KeepAliveTimeout = Key.PositiveSeconds<RawConfig>("keepAliveTimeout", Ours, 120,
        (c, v) => c.Limits = c.Limits with { KeepAliveTimeout = v }, "an idle keep-alive connection is closed after this long");

    public static readonly ConfigKey<RawConfig, long> MinBodyBytesPerSecond = Key.Integer<RawConfig>("minBodyBytesPerSecond", Ours, 240, 0, int.MaxValue,
        (c, v) => c.Limits = c.Limits with { MinBodyBytesPerSecond = (int)v }, "a request body slower than this (after `minBodyRateGrace`) is cut off; 0 = no minimum");

    public static readonly ConfigKey<RawConfig, TimeSpan> MinBodyRateGrace = Key.Seconds<RawConfig>("minBodyRateGrace", Ours, 5,
        (c, v) => c.Limits = c.Limits with { MinBodyRateGrace = v }, "how long a body may start slowly");

    public static readonly ConfigKey<RawConfig, long> MaxConnections = Count("maxConnections", 1024,
        (l, v) => l with { MaxConnections = v }, "open client connections; more get a 503");

    public static readonly ConfigSection<RawConfig> Section = new("limits", "Limits",
        [MaxRequestLine, MaxHeader, MaxHeaderCount, MaxBody, HeadersTimeout, KeepAliveTimeout, MinBodyBytesPerSecond, MinBodyRateGrace, MaxConnections]);

    /// <summary>A size written in <paramref name="unit"/>s (fractions allowed); <see cref="ConfigKey{T,TValue}.Default"/> is in bytes.</summary>
    private static ConfigKey<RawConfig, long> Size(string name, long units, long unit, long max, Func<HttpLimits, long, HttpLimits> set, string meaning) =>
        new(name, Ours, units * unit, Key.Number(units), meaning, (at, c, v) =>
        {
            if (at.Reader.Number(v, at.Path, 0) is not { } amount)
                return;
            var bytes = amount * unit;
            if (bytes < 1 || bytes > max)
                at.Diagnostics.Error(v, $"{at.Path}: {Key.Number(amount)} is out of range");
            else
                c.Limits = set(c.Limits, (long)bytes);
        });

    private static ConfigKey<RawConfig, long> Count(string name, int defaultValue, Func<HttpLimits, int, HttpLimits> set, string meaning) =>
        Key.Integer<RawConfig>(name, Ours, defaultValue, 1, int.MaxValue, (c, v) => c.Limits = set(c.Limits, (int)v), meaning);
}
