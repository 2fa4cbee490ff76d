using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TinySwap.Supervisor;

/// <summary>Minimal probe: a fresh connection, one GET with Connection: close, the status code of the status line.</summary>
internal sealed class SocketHealthProbe : IHealthProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthProbeResult> ProbeAsync(Uri url, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(Timeout);
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            EndPoint endpoint = IPAddress.TryParse(url.IdnHost, out var ip)
                ? new IPEndPoint(ip, url.Port)
                : new DnsEndPoint(url.IdnHost, url.Port);
            await socket.ConnectAsync(endpoint, timeout.Token);

            var request = $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nAccept: */*\r\nConnection: close\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, timeout.Token);

            // "HTTP/1.1 200 ..." (RFC 9112 §4): the code is the three digits after the first space.
            var buffer = new byte[64];
            var length = 0;
            while (length < 12)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token);
                if (n == 0)
                    return new HealthProbeResult(null, "connection closed before a status line");
                length += n;
            }
            var head = buffer.AsSpan(0, length);
            if (!head.StartsWith("HTTP/1."u8) || head[8] != (byte)' ' || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out var used) || used != 3)
                return new HealthProbeResult(null, "not an HTTP/1.x status line");
            return new HealthProbeResult(status, null);
        }
        catch (SocketException e)
        {
            return new HealthProbeResult(null, e.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : e.Message);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return new HealthProbeResult(null, $"no answer within {Timeout.TotalSeconds:0} s");
        }
    }
}
