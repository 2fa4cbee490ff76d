using System.Diagnostics;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Cli;

/// <summary>Runs dist/tinyswap; the process is always killed and reaped, even when a test fails.</summary>
internal sealed class TinySwapProcess : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly Process _process;

    private TinySwapProcess(params string[] args)
    {
        // Through env(1), with SIGINT back to its default: a test host started from a background job of a
        // non-interactive shell inherits SIGINT ignored, an ignored signal stays ignored across exec (execve(2)), and
        // tinyswap rightly honours that, so a Ctrl-C test would hang. env execs tinyswap: the pid stays the same.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(RepoPaths.TinySwapBinary);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
    }

    public int Pid => _process.Id;

    public static TinySwapProcess Start(params string[] args) => new(args);

    /// <summary>Runs to completion: exit code, stdout, stderr.</summary>
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var process = new TinySwapProcess(args);
        var stdout = process._process.StandardOutput.ReadToEndAsync();
        var stderr = process._process.StandardError.ReadToEndAsync();
        var exit = process.WaitForExit();
        return (exit, stdout.Result, stderr.Result);
    }

    /// <summary>Reads stdout until a line contains <paramref name="fragment"/>; the timeout only bounds a failure.</summary>
    public string WaitForLine(string fragment)
    {
        var read = Task.Run(() =>
        {
            while (_process.StandardOutput.ReadLine() is { } line)
            {
                if (line.Contains(fragment, StringComparison.Ordinal))
                    return line;
            }
            return null;
        });
        Assert.True(read.Wait(Generous), $"no line with '{fragment}' within {Generous.TotalSeconds} s");
        return read.Result ?? throw new Xunit.Sdk.XunitException($"tinyswap exited before printing '{fragment}'");
    }

    public string RestOfOutput() => _process.StandardOutput.ReadToEnd();

    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public int WaitForExit()
    {
        Assert.True(_process.WaitForExit(Generous), $"tinyswap did not exit within {Generous.TotalSeconds} s");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
