using System.Buffers.Text;

namespace TinySwap.Observability.Metrics;

/// <summary>Resident memory and CPU time of a process and its descendants, summed.</summary>
internal readonly record struct ProcessUsage(long ResidentBytes, double CpuSeconds);

/// <summary>
/// Reads <c>/proc/PID/statm</c>, <c>/proc/PID/stat</c> and <c>/proc/PID/task/PID/children</c> with open/read on stack
/// buffers: a scrape costs a few syscalls per model and no allocation. A model's command may be a shell or a wrapper
/// whose real work runs in a child, so its whole tree counts.
/// </summary>
internal static class ProcessStats
{
    // _SC_CLK_TCK is 2 in every Linux libc's unistd.h; the tick rate is almost always 100.
    private const int ScClockTicks = 2;
    private static readonly long ClockTicks = Math.Max(1, (long)Sys.sysconf(ScClockTicks));
    private static readonly long PageSize = Environment.SystemPageSize;
    private const int MaxTreeSize = 64;

    public static ProcessUsage Read(int pid)
    {
        Span<int> pending = stackalloc int[MaxTreeSize];
        pending[0] = pid;
        int count = 1, next = 0;
        long resident = 0, ticks = 0;
        while (next < count)
        {
            var current = pending[next++];
            resident += ResidentPages(current) * PageSize;
            ticks += CpuTicks(current);
            count += Children(current, pending[count..]);
        }
        return new ProcessUsage(resident, (double)ticks / ClockTicks);
    }

    /// <summary>The resident memory of one process alone (tinyswap's own: its children are the models).</summary>
    public static long ResidentBytes(int pid) => ResidentPages(pid) * PageSize;

    private static long ResidentPages(int pid)
    {
        // statm: size resident shared text lib data dt (pages)
        Span<byte> text = stackalloc byte[128];
        var line = ReadFile(pid, "statm"u8, text);
        var space = line.IndexOf((byte)' ');
        return space > 0 && Utf8Parser.TryParse(line[(space + 1)..], out long pages, out _) ? pages : 0;
    }

    private static long CpuTicks(int pid)
    {
        // stat: "pid (comm) state ..."; comm may hold spaces and parentheses, so fields count from the last ')'.
        // After it: state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15).
        Span<byte> text = stackalloc byte[1024];
        var line = ReadFile(pid, "stat"u8, text);
        var close = line.LastIndexOf((byte)')');
        if (close < 0)
            return 0;
        var rest = line[(close + 2)..];
        long total = 0;
        for (var field = 3; field <= 15 && !rest.IsEmpty; field++)
        {
            var space = rest.IndexOf((byte)' ');
            var value = space < 0 ? rest : rest[..space];
            if (field >= 14 && Utf8Parser.TryParse(value, out long n, out _))
                total += n;
            rest = space < 0 ? default : rest[(space + 1)..];
        }
        return total;
    }

    private static int Children(int pid, Span<int> into)
    {
        Span<byte> text = stackalloc byte[512];
        var list = ReadFile(pid, "children"u8, text, task: true);
        var found = 0;
        while (!list.IsEmpty && found < into.Length)
        {
            if (!Utf8Parser.TryParse(list, out int child, out var used))
                break;
            into[found++] = child;
            list = list[used..].TrimStart((byte)' ');
        }
        return found;
    }

    /// <summary>The file's first bytes (as many as fit); empty when the process is gone.</summary>
    private static unsafe ReadOnlySpan<byte> ReadFile(int pid, ReadOnlySpan<byte> name, Span<byte> buffer, bool task = false)
    {
        Span<byte> path = stackalloc byte[64];
        var length = 0;
        Append(path, ref length, "/proc/"u8);
        AppendNumber(path, ref length, pid);
        if (task)
        {
            Append(path, ref length, "/task/"u8);
            AppendNumber(path, ref length, pid);
        }
        Append(path, ref length, "/"u8);
        Append(path, ref length, name);
        path[length] = 0;
        int fd;
        fixed (byte* p = path)
            fd = Sys.open(p, Native.LibC.O_RDONLY | Native.LibC.O_CLOEXEC, 0);
        if (fd < 0)
            return default;
        long read;
        fixed (byte* b = buffer)
            read = Sys.read(fd, b, buffer.Length);
        Sys.close(fd);
        return read > 0 ? buffer[..(int)read] : default;
    }

    private static void Append(Span<byte> path, ref int length, ReadOnlySpan<byte> part)
    {
        part.CopyTo(path[length..]);
        length += part.Length;
    }

    private static void AppendNumber(Span<byte> path, ref int length, int value)
    {
        Utf8Formatter.TryFormat(value, path[length..], out var written);
        length += written;
    }
}
