using System.Diagnostics;

namespace TinySwap.Tests.Support;

/// <summary>
/// tests/node: official client SDKs (pinned by its package-lock.json), installed with `npm ci` once per test run.
/// Tests that need them use <see cref="NodeFactAttribute"/>, which skips them when node or npm is not installed.
/// </summary>
internal static class NodeSdk
{
    private static readonly Lazy<Task<string>> Installed = new(InstallAsync);

    public static string Directory => Path.Combine(RepoPaths.Root, "tests", "node");

    public static bool IsAvailable { get; } = OnPath("node") && OnPath("npm");

    /// <summary>Runs `node SCRIPT ARGS...` in tests/node once its packages are installed; returns stdout.</summary>
    public static async Task<string> RunAsync(string script, TimeSpan bound, params string[] args)
    {
        await Installed.Value;
        var (exitCode, stdout, stderr) = await RunProcessAsync("node", [script, .. args], bound);
        Assert.True(exitCode == 0, $"node {script} exited {exitCode}: {stderr}");
        return stdout;
    }

    private static async Task<string> InstallAsync()
    {
        if (System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "openai"))
            && System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "playwright-core")))
            return Directory;
        var (exitCode, _, stderr) = await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], TimeSpan.FromMinutes(5));
        if (exitCode != 0)
            throw new InvalidOperationException($"npm ci in {Directory} failed ({exitCode}): {stderr}");
        return Directory;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(string file, string[] args, TimeSpan bound)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(bound);
            await process.WaitForExitAsync(cancel.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));
}

/// <summary>A fact that needs node and npm (tests/node); skipped, with one line saying so, when they are missing.</summary>
internal sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (!NodeSdk.IsAvailable)
            Skip = "node and npm are not on PATH: the official-SDK test cannot run";
    }
}
