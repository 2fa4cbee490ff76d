using System.Text;
using TinySwap.Native;

namespace TinySwap.LlamaCpp.Memory;

/// <summary>The real <see cref="ISystemMemorySource"/>: /proc/meminfo and, when it is installed, nvidia-smi.</summary>
internal sealed unsafe class SystemMemory : ISystemMemorySource
{
    public static readonly SystemMemory Instance = new();

    /// <summary>A fixed command (nothing from the config goes into it); stderr is dropped so "command not found" reads as no output.</summary>
    private const string NvidiaSmi = "nvidia-smi --query-gpu=memory.total --format=csv,noheader,nounits 2>/dev/null";

    private const int MaxOutputBytes = 64 * 1024;

    public string? ReadMemInfo()
    {
        try
        {
            return File.ReadAllText("/proc/meminfo");
        }
        catch (IOException)
        {
            return null;
        }
    }

    public string? QueryNvidiaSmi()
    {
        var command = Encoding.UTF8.GetBytes(NvidiaSmi + "\0");
        var mode = "r\0"u8;
        nint stream;
        fixed (byte* c = command)
        fixed (byte* m = mode)
            stream = LibC.popen(c, m);
        if (stream == 0)
            return null;
        var buffer = new byte[MaxOutputBytes];
        nuint total = 0;
        fixed (byte* b = buffer)
        {
            nuint read;
            while (total < MaxOutputBytes && (read = LibC.fread(b + total, 1, (nuint)MaxOutputBytes - total, stream)) > 0)
                total += read;
        }
        LibC.pclose(stream);
        return total == 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)total);
    }
}
