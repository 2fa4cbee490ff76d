using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using TinySwap.Native;

namespace TinySwap.Tests.Native;

/// <summary>Compiles a C program against the system headers and checks every constant and struct layout we hard-code.</summary>
public sealed class NativeConstantsTests
{
    private static readonly string[] Headers =
    [
        "spawn.h", "signal.h", "sys/wait.h", "fcntl.h", "unistd.h", "sys/prctl.h", "sys/syscall.h",
        "linux/close_range.h", "poll.h", "sys/socket.h", "netinet/in.h", "errno.h", "stddef.h", "stdio.h",
        "sys/epoll.h",
    ];

    // Status words covering exit, kill by signal, kill with core dump and stop (WIFEXITED and friends).
    private static readonly int[] SampleStatuses = [0, 0x0300, 0xff00, 0x0009, 0x000f, 0x008b, 0x137f, 0xffff];

    [Fact]
    public void EveryHardCodedConstant_EqualsTheSystemHeader()
    {
        var constants = HardCodedConstants();
        Assert.True(constants.Count > 40, "reflection found too few constants: " + constants.Count);

        var output = CompileAndRun(CProgram(constants));
        var fromHeaders = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);

        var mismatches = constants
            .Where(c => fromHeaders[c.Name] != c.Value.ToString(CultureInfo.InvariantCulture))
            .Select(c => $"{c.Name}: we have {c.Value}, {c.CExpression} is {fromHeaders[c.Name]}")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    /// <summary>
    /// The same constants against arm64's headers, compile-only (static asserts), when Debian's cross compiler
    /// is installed (`RID=linux-arm64 ./build.sh` installs it); without it this check reports and passes.
    /// </summary>
    [Fact]
    public void EveryHardCodedConstant_EqualsTheArm64Header_WhenACrossCompilerIsInstalled()
    {
        var crossGcc = FindOnPath("aarch64-linux-gnu-gcc");
        if (crossGcc is null)
        {
            Console.WriteLine("aarch64-linux-gnu-gcc not installed: arm64 constants not checked (RID=linux-arm64 ./build.sh installs it)");
            return;
        }
        var program = new StringBuilder(Includes());
        foreach (var c in HardCodedConstants(Architecture.Arm64))
            program.Append(CultureInfo.InvariantCulture, $"_Static_assert(({c.CExpression}) == {c.Value}LL, \"{c.Name}: we have {c.Value}\");\n");

        var (code, _, errors) = InTempDirectory(dir =>
        {
            var cFile = Path.Combine(dir, "check.c");
            File.WriteAllText(cFile, program.ToString());
            return Run(crossGcc, "-fsyntax-only", cFile);
        });
        Assert.True(code == 0, "arm64 headers disagree:\n" + errors);
    }

    [Fact]
    public void WaitStatusDecoding_MatchesTheHeaderMacros()
    {
        var program = new StringBuilder(Includes()).Append("int main(void) {\n");
        foreach (var status in SampleStatuses)
        {
            program.Append(CultureInfo.InvariantCulture,
                $"  printf(\"{status}=%d,%d,%d,%d\\n\", WIFEXITED({status}) != 0, WEXITSTATUS({status}), WIFSIGNALED({status}) != 0, WTERMSIG({status}));\n");
        }
        program.Append("  return 0;\n}\n");

        var expected = CompileAndRun(program.ToString()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ours = SampleStatuses.Select(s =>
            $"{s}={(WaitStatus.Exited(s) ? 1 : 0)},{WaitStatus.ExitCode(s)},{(WaitStatus.Signaled(s) ? 1 : 0)},{WaitStatus.TermSignal(s)}");
        Assert.Equal(expected, ours);
    }

    [Fact]
    public void OpaqueStructs_HaveTheHeaderSizes()
    {
        Assert.Equal(LibC.SizeOfPosixSpawnAttr, Unsafe.SizeOf<PosixSpawnAttr>());
        Assert.Equal(LibC.SizeOfPosixSpawnFileActions, Unsafe.SizeOf<PosixSpawnFileActions>());
    }

    private sealed record Constant(string Name, string CExpression, long Value);

    private static List<Constant> HardCodedConstants() => HardCodedConstants(RuntimeInformation.ProcessArchitecture);

    private static List<Constant> HardCodedConstants(Architecture target) =>
        typeof(LibC).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType != typeof(string))
            .Where(f => f.GetCustomAttribute<CValueAttribute>()?.OnlyOn is not { } arch || arch == target)
            .Select(f => new Constant(
                f.Name,
                f.GetCustomAttribute<CValueAttribute>()?.Expression ?? f.Name,
                Convert.ToInt64(f.GetRawConstantValue(), CultureInfo.InvariantCulture)))
            .ToList();

    private static string Includes() =>
        "#define _GNU_SOURCE\n" + string.Concat(Headers.Select(h => $"#include <{h}>\n"));

    private static string CProgram(IEnumerable<Constant> constants)
    {
        var program = new StringBuilder(Includes()).Append("int main(void) {\n");
        foreach (var c in constants)
            program.Append(CultureInfo.InvariantCulture, $"  printf(\"%s=%lld\\n\", \"{c.Name}\", (long long)({c.CExpression}));\n");
        return program.Append("  return 0;\n}\n").ToString();
    }

    private static string CompileAndRun(string source) => InTempDirectory(dir =>
    {
        var cFile = Path.Combine(dir, "check.c");
        var exe = Path.Combine(dir, "check");
        File.WriteAllText(cFile, source);
        var (compileCode, _, compileErrors) = Run(FindGcc(), "-Wall", "-o", exe, cFile);
        Assert.True(compileCode == 0, $"gcc failed ({compileCode}); a constant name is probably wrong:\n{compileErrors}\n{source}");
        var (runCode, stdout, runErrors) = Run(exe);
        Assert.True(runCode == 0, $"check program failed ({runCode}): {runErrors}");
        return stdout;
    });

    private static T InTempDirectory<T>(Func<string, T> work)
    {
        var dir = Directory.CreateTempSubdirectory("tinyswap-native-");
        try
        {
            return work(dir.FullName);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static string FindGcc()
    {
        return FindOnPath("gcc")
            ?? throw new InvalidOperationException(
                "gcc is not installed: the native constants test compiles C against the system headers. " +
                "./build.sh installs it (or: sudo apt-get install gcc).");
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
