using TinySwap.LlamaCpp.Memory;

namespace TinySwap.Tests.LlamaCpp;

public sealed class MemoryDetectionTests
{
    private const string MemInfo = """
        MemTotal:        7999464 kB
        MemFree:          301172 kB
        MemAvailable:    5123456 kB
        """;

    private sealed class FakeSource(string? meminfo, string? smi) : ISystemMemorySource
    {
        public string? ReadMemInfo() => meminfo;
        public string? QueryNvidiaSmi() => smi;
    }

    [Fact]
    public void MemTotalBytes_ProcMeminfo_IsKibTimes1024() =>
        Assert.Equal(7999464L * 1024, MemInfoParser.MemTotalBytes(MemInfo));

    [Theory]
    [InlineData("MemFree: 12 kB")]
    [InlineData("MemTotal: lots kB")]
    [InlineData("MemTotal: 12 MB")]
    [InlineData("MemTotal: -5 kB")]
    [InlineData("")]
    public void MemTotalBytes_MissingOrOdd_IsNull(string text) => Assert.Null(MemInfoParser.MemTotalBytes(text));

    [Fact]
    public void GpuMemoryMiB_OneLinePerGpu() =>
        Assert.Equal([24564L, 8192], NvidiaSmiParser.GpuMemoryMiB("24564\n 8192 \n\n"));

    [Theory]
    [InlineData("[N/A]\n")]
    [InlineData("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n")]
    [InlineData("24564, 1\n")]
    [InlineData("")]
    public void GpuMemoryMiB_AnythingButNumbers_IsNull(string output) => Assert.Null(NvidiaSmiParser.GpuMemoryMiB(output));

    [Fact]
    public void Detect_NoNvidiaSmi_IsUnifiedMemory()
    {
        var detected = DetectedMemory.Detect(new FakeSource(MemInfo, null));

        Assert.NotNull(detected);
        Assert.True(detected.IsUnified);
        Assert.Equal(7999464L * 1024, detected.RamBytes);
    }

    [Fact]
    public void Detect_TwoGpus_SumsTheirMemory()
    {
        var detected = DetectedMemory.Detect(new FakeSource(MemInfo, "24564\n24564\n"));

        Assert.NotNull(detected);
        Assert.False(detected.IsUnified);
        Assert.Equal(2 * 24564L << 20, detected.GpuBytes);
        Assert.Equal(2, detected.GpuCount);
    }

    [Fact]
    public void Detect_BrokenNvidiaSmi_FallsBackToUnified() =>
        Assert.True(DetectedMemory.Detect(new FakeSource(MemInfo, "[N/A]"))!.IsUnified);

    [Fact]
    public void Detect_NoMeminfo_IsNull() => Assert.Null(DetectedMemory.Detect(new FakeSource(null, "8192")));
}
