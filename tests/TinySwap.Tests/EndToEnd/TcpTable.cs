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
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            // "  sl  local_address rem_address   st ...", addresses as hex IP:PORT
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] is not (Established or CloseWait))
                continue;
            if (PortOf(fields[1]) == localPort)
                peers.Add(PortOf(fields[2]));
        }
        return peers;
    }

    private static int PortOf(string address) =>
        int.Parse(address.AsSpan(address.IndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
