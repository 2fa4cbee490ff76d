using System.Globalization;

namespace TinySwap.LlamaCpp.Memory;

/// <summary>
/// Reads `nvidia-smi --query-gpu=memory.total --format=csv,noheader,nounits`: one line per GPU, each a whole number of
/// MiB. Anything else ("[N/A]" on some boards, an NVML error message) means the output cannot be trusted: null.
/// </summary>
internal static class NvidiaSmiParser
{
    public static IReadOnlyList<long>? GpuMemoryMiB(string output)
    {
        var gpus = new List<long>();
        foreach (var line in output.AsSpan().EnumerateLines())
        {
            var value = line.Trim();
            if (value.IsEmpty)
                continue;
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var mib) || mib <= 0 || mib > 1L << 30)
                return null;
            gpus.Add(mib);
        }
        return gpus.Count > 0 ? gpus : null;
    }
}
