using System.Globalization;

namespace TinySwap.LlamaCpp.Memory;

/// <summary>Reads `MemTotal:  16318460 kB` from /proc/meminfo (proc(5): values are in KiB despite the "kB").</summary>
internal static class MemInfoParser
{
    public static long? MemTotalBytes(string text)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("MemTotal:"))
                continue;
            var value = line["MemTotal:".Length..].Trim();
            if (!value.EndsWith(" kB"))
                return null;
            return long.TryParse(value[..^3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kib) && kib is > 0 and < long.MaxValue / 1024
                ? kib * 1024
                : null;
        }
        return null;
    }
}
