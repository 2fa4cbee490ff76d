using System.Globalization;

namespace TinySwap.Tests.EndToEnd;

/// <summary>IPv4 TCP connections as /proc/net/tcp lists them: which peers a local port is still talking to.</summary>
internal static class TcpTable
{
    private const string Established = "01";
    private const string CloseWait = "08";

    /// <summary>
    /// Remote ports of connections accepted on <paramref name="localPort"/> that the local side has not closed yet
    /// (established, or the peer's FIN received but ours not sent).
    /// </summary>
    public static HashSet<int> OpenPeersOf(int localPort)
    {
        var peers = new HashSet<int>();
        foreach (var fields in Entries())
        {
            if (fields[3] is (Established or CloseWait) && PortOf(fields[1]) == localPort)
                peers.Add(PortOf(fields[2]));
        }
        return peers;
    }

    /// <summary>
    /// True while a process still holds the socket of the connection from <paramref name="remotePort"/> to
    /// <paramref name="localPort"/>: the kernel lists a socket its owner has closed (an orphan finishing its FIN
    /// handshake) with inode 0.
    /// </summary>
    public static bool IsHeld(int localPort, int remotePort) =>
        Entries().Any(f => PortOf(f[1]) == localPort && PortOf(f[2]) == remotePort && f[9] != "0");

    private static IEnumerable<string[]> Entries() =>
        File.ReadLines("/proc/net/tcp").Skip(1)
            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...", addresses hex IP:PORT
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 10);

    private static int PortOf(string address) =>
        int.Parse(address.AsSpan(address.IndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
