using System.Diagnostics;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Packaging;

/// <summary>
/// The shipping checks, each a script a person can also run by hand: the unit file (systemd-analyze), the .deb
/// (lintian, install, upgrade, purge) and the arm64 build under qemu. A script exits 77 with one line when this
/// machine cannot run it (not root, no binfmt_misc); that line is printed and the test passes.
/// </summary>
public sealed class PackagingScriptTests
{
    private const int Skipped = 77;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    [Fact]
    public Task UnitFile_VerifiesClean_ExposureAtMostTwoAndAHalf_TinySwapToleratesMemoryDenyWriteExecute() =>
        RunScriptAsync("packaging/test-unit.sh");

    [Fact]
    public Task DebPackage_LintianClean_InstallsUpgradesKeepingTheConfig_PurgesClean() =>
        RunScriptAsync("packaging/test-deb.sh");

    [Fact]
    public Task Arm64Build_UnderQemu_ServesSwapsStreamsAndStopsClean() =>
        RunScriptAsync("tests/arm64-smoke.sh");

    private static async Task RunScriptAsync(string script)
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.Root, script))
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{script} did not finish within {Bound}:\n{await stdout}\n{await stderr}");
        }
        var output = (await stdout).Trim();
        Console.WriteLine(output);
        Assert.True(process.ExitCode is 0 or Skipped, $"{script} exited {process.ExitCode}:\n{output}\n{await stderr}");
    }
}
