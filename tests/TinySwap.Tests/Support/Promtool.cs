using System.Diagnostics;

namespace TinySwap.Tests.Support;

/// <summary>
/// Prometheus's own checker (`promtool check metrics`, Debian package `prometheus`). Installed with apt-get when the
/// tests run as root and it is missing; otherwise the check is skipped with one line saying so.
/// </summary>
internal static class Promtool
{
    private static readonly Lazy<string?> Path = new(Find);

    /// <summary>promtool's complaints about <paramref name="exposition"/> (empty: clean), or null when promtool is unavailable.</summary>
    public static async Task<string?> CheckMetricsAsync(string exposition)
    {
        if (Path.Value is not { } promtool)
        {
            Console.Error.WriteLine("promtool check metrics skipped: promtool not found and not root to apt-get install prometheus");
            return null;
        }
        var start = new ProcessStartInfo(promtool, "check metrics")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = (await output + await errors).Trim();
        return process.ExitCode == 0 && text.Length == 0 ? "" : $"exit {process.ExitCode}: {text}";
    }

    private static string? Find()
    {
        if (Which() is { } found)
            return found;
        if (Environment.UserName != "root")
            return null;
        using var apt = Process.Start(new ProcessStartInfo("apt-get", "install -y --no-install-recommends prometheus")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" },
        })!;
        apt.StandardOutput.ReadToEndAsync();
        apt.StandardError.ReadToEndAsync();
        apt.WaitForExit(TimeSpan.FromMinutes(5));
        return Which();
    }

    private static string? Which() =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':')
            .Select(dir => System.IO.Path.Combine(dir, "promtool"))
            .FirstOrDefault(File.Exists);
}
