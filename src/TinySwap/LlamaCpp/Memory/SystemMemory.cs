using TinySwap.Supervisor;

namespace TinySwap.LlamaCpp.Memory;

/// <summary>The real <see cref="ISystemMemorySource"/>: /proc/meminfo and, when it is installed, nvidia-smi.</summary>
internal sealed class SystemMemory(string nvidiaSmi, TimeSpan nvidiaSmiDeadline) : ISystemMemorySource
{
    /// <summary>A hung GPU driver makes nvidia-smi wait forever; past this it is killed and no GPU is assumed.</summary>
    public static readonly TimeSpan NvidiaSmiDeadline = TimeSpan.FromSeconds(5);

    public static readonly SystemMemory Instance = new("nvidia-smi", NvidiaSmiDeadline);

    /// <summary>A fixed query (nothing from the config goes into it), run without a shell.</summary>
    private static readonly string[] NvidiaSmiArguments = ["--query-gpu=memory.total", "--format=csv,noheader,nounits"];

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
        // Config loading is synchronous; the probe's completions run on the thread pool, so blocking here is safe.
        var output = ProbeCommand.RunAsync(nvidiaSmi, NvidiaSmiArguments, nvidiaSmiDeadline).GetAwaiter().GetResult();
        return string.IsNullOrEmpty(output) ? null : output;
    }
}
