using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TinySwap.Native;

namespace TinySwap.Http.Upstream;

/// <summary>
/// TLS for https:// upstreams through <see cref="SslStream"/>: SNI and name checks against the URL's host, ALPN offering
/// http/1.1 only (our client speaks nothing else), and the certificate validated against the system's roots, or only
/// against the CAs of a `caFile` when one is named. Validation is never switched off.
/// </summary>
internal sealed class UpstreamTls
{
    private readonly string _targetHost;
    private readonly X509Certificate2Collection? _trusted;
    private readonly string? _trustProblem;

    /// <param name="caFile">
    /// PEM certificates to trust instead of the system's roots; read here, once per pool. The config loader checked the
    /// file; if it has gone bad since, every handshake fails saying so rather than trusting the system's roots instead.
    /// </param>
    public UpstreamTls(Uri address, string? caFile)
    {
        // Brackets belong to the URL syntax of an IPv6 literal, not to the name the certificate is checked against.
        _targetHost = address.IdnHost.Trim('[', ']');
        if (!OpenSsl.IsAvailable)
        {
            _trustProblem = OpenSsl.MissingMessage;
            return;
        }
        if (caFile is null)
            return;
        _trusted = [];
        try
        {
            _trusted.ImportFromPemFile(caFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            _trustProblem = $"cannot read caFile '{caFile}': {ex.Message}";
        }
    }

    /// <summary>
    /// Runs the handshake on a connected socket. Failures come back as <see cref="UpstreamConnectException"/> saying what
    /// was wrong with the certificate, so the client's 502 names the cause.
    /// </summary>
    /// <param name="connection">The connected socket's bytes (a <see cref="ReadinessStream"/>); the session owns it.</param>
    public async ValueTask<SslStream> AuthenticateAsync(Stream connection, Uri address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Also what keeps a missing libssl from reaching the runtime's TLS code, which would abort the process.
        if (_trustProblem is not null)
            throw new UpstreamConnectException($"TLS with {address}: {_trustProblem}", timedOut: false);
        var stream = new SslStream(connection, leaveInnerStreamOpen: false);
        SslPolicyErrors policyErrors = SslPolicyErrors.None;
        string? chainProblem = null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = _targetHost,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, _, chain, errors) =>
            {
                policyErrors = errors;
                chainProblem = DescribeChain(chain);
                return errors == SslPolicyErrors.None;
            },
        };
        if (_trusted is not null)
        {
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(_trusted);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await stream.AuthenticateAsClientAsync(options, deadline.Token);
            return stream;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await stream.DisposeAsync();
            throw new UpstreamConnectException($"TLS handshake with {address} timed out after {timeout.TotalSeconds:0.#} s", timedOut: true);
        }
        catch (AuthenticationException ex)
        {
            await stream.DisposeAsync();
            var why = policyErrors == SslPolicyErrors.None ? ex.Message : DescribeRejection(policyErrors, chainProblem);
            throw new UpstreamConnectException($"TLS handshake with {address} failed: {why}", timedOut: false, ex);
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or SocketException)
        {
            await stream.DisposeAsync();
            throw new UpstreamConnectException($"TLS handshake with {address} failed: {ex.Message}", timedOut: false, ex);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    private string DescribeRejection(SslPolicyErrors errors, string? chainProblem)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return "the server sent no certificate";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return $"its certificate is not valid for '{_targetHost}'";
        var hint = _trusted is null ? "; for a self-signed server, name its CA in the peer's caFile" : " by the CAs of caFile";
        return $"its certificate is not trusted ({chainProblem ?? "chain error"}){hint}";
    }

    private static string? DescribeChain(X509Chain? chain)
    {
        if (chain is null || chain.ChainStatus.Length == 0)
            return null;
        return string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}"));
    }
}
