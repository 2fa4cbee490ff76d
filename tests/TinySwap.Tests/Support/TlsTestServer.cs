using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TinySwap.Tests.Support;

/// <summary>
/// An https server on 127.0.0.1 for TLS tests, with a self-signed certificate made here (valid for 127.0.0.1 and
/// localhost). Every request gets a 200 JSON answer naming the target it asked for and whether it carried an
/// Authorization field; the requests' heads are kept. Dispose stops it and closes its connections.
/// </summary>
internal sealed class TlsTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _heads = [];
    private readonly Task _acceptLoop;

    public TlsTestServer()
    {
        Certificate = CreateSelfSigned();
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public X509Certificate2 Certificate { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections whose TLS handshake completed.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    private int _handshakes;
    private readonly SemaphoreSlim _connectionsEnded = new(0);

    /// <summary>Waits until one more connection has been served to its end (a refused handshake included).</summary>
    public Task<bool> WaitForConnectionEndAsync(TimeSpan timeout) => _connectionsEnded.WaitAsync(timeout);

    /// <summary>Request heads received so far (request line and fields), in order.</summary>
    public IReadOnlyList<string> Heads
    {
        get
        {
            lock (_heads)
                return [.. _heads];
        }
    }

    /// <summary>Writes the certificate (no key) as PEM: what a peer's caFile names.</summary>
    public string WriteCertificatePem(string directory)
    {
        var path = Path.Combine(directory, "peer-ca.pem");
        File.WriteAllText(path, Certificate.ExportCertificatePem());
        return path;
    }

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=tinyswap test peer", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            await using var tls = new SslStream(client.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = Certificate,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            }, _stop.Token);
            Interlocked.Increment(ref _handshakes);
            while (await ReadHeadAsync(tls) is { } head)
            {
                lock (_heads)
                    _heads.Add(head);
                await SkipBodyAsync(tls, head);
                var target = head[..head.IndexOf('\r')].Split(' ')[1];
                var authorized = head.Contains("\r\nAuthorization:", StringComparison.OrdinalIgnoreCase);
                var body = Encoding.UTF8.GetBytes($$"""{"served_by":"tls","target":"{{target}}","authorization":{{(authorized ? "true" : "false")}}}""");
                var response = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n";
                await tls.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                await tls.WriteAsync(body, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException
                                       or System.Security.Authentication.AuthenticationException)
        {
            // The client refused our certificate, or left: both are what some tests expect.
        }
        finally
        {
            _connectionsEnded.Release();
        }
    }

    private async Task<string?> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
                return null;
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    private async Task SkipBodyAsync(Stream stream, string head)
    {
        const string field = "\r\ncontent-length:";
        var at = head.IndexOf(field, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
            return;
        var end = head.IndexOf('\r', at + field.Length);
        var length = int.Parse(head[(at + field.Length)..end].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var buffer = new byte[Math.Max(1, length)];
        for (var read = 0; read < length;)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read, length - read), _stop.Token);
            if (n == 0)
                return;
            read += n;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        Certificate.Dispose();
        _stop.Dispose();
    }
}
