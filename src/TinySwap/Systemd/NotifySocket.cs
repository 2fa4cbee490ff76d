using System.Net.Sockets;
using System.Text;

namespace TinySwap.Systemd;

/// <summary>
/// The service manager's notification socket (sd_notify(3)): one AF_UNIX datagram per message of newline-separated
/// KEY=VALUE assignments, sent to the path in NOTIFY_SOCKET. A leading '@' names an abstract socket (a leading NUL
/// byte on the wire). No library: this is the whole protocol.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    public const string Variable = "NOTIFY_SOCKET";

    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint _target;
    private readonly Lock _gate = new();

    private NotifySocket(UnixDomainSocketEndPoint target) => _target = target;

    public string Address { get; private init; } = "";

    /// <summary>
    /// The socket systemd gave us, or null when not run by a service manager (or NOTIFY_SOCKET is not an absolute path
    /// or an abstract name, the only two forms systemd uses). The variable is removed from our environment, as
    /// sd_notify's unset_environment does, so the models we spawn do not inherit it and talk to systemd as us.
    /// </summary>
    public static NotifySocket? FromEnvironment()
    {
        var address = Environment.GetEnvironmentVariable(Variable);
        Environment.SetEnvironmentVariable(Variable, null);
        return Open(address);
    }

    public static NotifySocket? Open(string? address)
    {
        if (string.IsNullOrEmpty(address) || address.Length > 107 || (address[0] != '/' && address[0] != '@') || address == "@")
            return null;
        var path = address[0] == '@' ? "\0" + address[1..] : address;
        return new NotifySocket(new UnixDomainSocketEndPoint(path)) { Address = address };
    }

    /// <summary>Sends one message; false (and nothing else happens) when the manager is gone or refuses it.</summary>
    public bool Send(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        try
        {
            // Datagrams on one socket from several threads (watchdog timer, signal handler): one at a time.
            lock (_gate)
                return _socket.SendTo(bytes, SocketFlags.None, _target) == bytes.Length;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
