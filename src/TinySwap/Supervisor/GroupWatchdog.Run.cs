using System.Globalization;
using TinySwap.Native;

namespace TinySwap.Supervisor;

// The watchdog's own side: read "+PGID"/"-PGID" lines until EOF, then SIGKILL every group still listed.
internal static unsafe partial class GroupWatchdog
{
    public static int Run()
    {
        // Ignore the signals a terminal or a service manager sends to everyone: only EOF on stdin — tinyswap
        // gone, whatever way — means it is time to act. (systemd's final SIGKILL still ends us.)
        SigAction ignore = default;
        ignore.sa_handler = (void*)LibC.SIG_IGN;
        foreach (var signal in (ReadOnlySpan<int>)[LibC.SIGHUP, LibC.SIGINT, LibC.SIGQUIT, LibC.SIGTERM])
            Sys.sigaction(signal, &ignore, null);

        var groups = new HashSet<int>();
        var pending = new List<byte>();
        var buffer = stackalloc byte[512];
        while (true)
        {
            var n = Sys.read(0, buffer, 512);
            if (n < 0 && Errno.Last == LibC.EINTR)
                continue;
            if (n <= 0)
                break;
            for (var i = 0; i < n; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    pending.Add(buffer[i]);
                    continue;
                }
                Apply(groups, pending);
                pending.Clear();
            }
        }
        foreach (var group in groups)
            Sys.killpg(group, LibC.SIGKILL);
        return 0;
    }

    private static void Apply(HashSet<int> groups, List<byte> line)
    {
        if (line.Count < 2 || !int.TryParse(System.Text.Encoding.ASCII.GetString(line.ToArray(), 1, line.Count - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var group) || group <= 1)
            return;
        if (line[0] == (byte)'+')
            groups.Add(group);
        else if (line[0] == (byte)'-')
            groups.Remove(group);
    }
}
