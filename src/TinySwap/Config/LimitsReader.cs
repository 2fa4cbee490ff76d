using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>
/// Our top-level `limits:` section, mapped onto <see cref="HttpLimits"/>. Sizes are written in the unit their name
/// carries (KB = 1024 bytes, MB = 1024 KB), durations in seconds; anything left out keeps its default.
/// </summary>
internal sealed class LimitsReader(NodeReader reader)
{
    public HttpLimits Read(YamlNode value, HttpLimits limits)
    {
        foreach (var (key, keyNode, item) in reader.Entries(value, "limits"))
        {
            var at = "limits." + key;
            limits = key switch
            {
                "maxRequestLineKB" => Bytes(item, at, 1024, int.MaxValue) is { } v ? limits with { MaxRequestLineBytes = (int)v } : limits,
                "maxHeaderKB" => Bytes(item, at, 1024, int.MaxValue) is { } v ? limits with { MaxHeaderBytes = (int)v } : limits,
                "maxBodyMB" => Bytes(item, at, 1024 * 1024, long.MaxValue) is { } v ? limits with { MaxBodyBytes = v } : limits,
                "maxHeaderCount" => Count(item, at) is { } v ? limits with { MaxHeaderCount = v } : limits,
                "maxConnections" => Count(item, at) is { } v ? limits with { MaxConnections = v } : limits,
                "minBodyBytesPerSecond" => reader.Integer(item, at, 0, int.MaxValue) is { } v ? limits with { MinBodyBytesPerSecond = (int)v } : limits,
                "headersTimeout" => reader.PositiveSeconds(item, at) is { } v ? limits with { HeadersTimeout = v } : limits,
                "keepAliveTimeout" => reader.PositiveSeconds(item, at) is { } v ? limits with { KeepAliveTimeout = v } : limits,
                "minBodyRateGrace" => reader.Seconds(item, at) is { } v ? limits with { MinBodyRateGrace = v } : limits,
                _ => Unknown(keyNode, key, limits),
            };
        }
        return limits;
    }

    private long? Bytes(YamlNode item, string at, long unit, long max)
    {
        if (reader.Number(item, at, 0) is not { } amount)
            return null;
        var bytes = amount * unit;
        if (bytes < 1 || bytes > max)
        {
            reader.Diagnostics.Error(item, $"{at}: {amount} is out of range");
            return null;
        }
        return (long)bytes;
    }

    private int? Count(YamlNode item, string at) => (int?)reader.Integer(item, at, 1, int.MaxValue);


    private HttpLimits Unknown(YamlNode keyNode, string key, HttpLimits limits)
    {
        reader.UnknownKey(keyNode, key, "limits", ConfigKeys.Limits, ConfigKeys.None);
        return limits;
    }
}
