using System.Net.Sockets;
using System.Text;

namespace TinySwap.Tests.Systemd;

/// <summary>A datagram socket the test owns, standing in for systemd's NOTIFY_SOCKET (abstract name or a path).</summary>
internal sealed class NotifyListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string? _path;

    private NotifyListener(string address, string? path)
    {
        Address = address;
        _path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path ?? "\0" + address[1..]));
    }

    /// <summary>The NOTIFY_SOCKET value: "@name" or an absolute path.</summary>
    public string Address { get; }

    public static NotifyListener Abstract() => new("@tinyswap-test-" + Guid.NewGuid().ToString("N"), null);

    public static NotifyListener AtPath()
    {
        var path = Path.Combine(Path.GetTempPath(), "tinyswap-notify-" + Guid.NewGuid().ToString("N")[..12]);
        return new NotifyListener(path, path);
    }

    /// <summary>Datagrams already queued, without waiting.</summary>
    public int Pending => _socket.Available;

    /// <summary>The next message; fails the test if none comes within <paramref name="bound"/>.</summary>
    public async Task<string> ReceiveAsync(TimeSpan bound)
    {
        var buffer = new byte[4096];
        using var cancel = new CancellationTokenSource(bound);
        try
        {
            var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
            return Encoding.UTF8.GetString(buffer, 0, n);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"no notification on {Address} within {bound}");
        }
    }

    /// <summary>Reads messages until one contains <paramref name="assignment"/>; returns the ones read, that one last.</summary>
    public async Task<List<string>> ReceiveUntilAsync(string assignment, TimeSpan bound)
    {
        var seen = new List<string>();
        while (true)
        {
            var message = await ReceiveAsync(bound);
            seen.Add(message);
            if (Lines(message).Contains(assignment))
                return seen;
        }
    }

    public static string[] Lines(string message) => message.Split('\n');

    public void Dispose()
    {
        _socket.Dispose();
        if (_path is not null)
            File.Delete(_path);
    }
}
