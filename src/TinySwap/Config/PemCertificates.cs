using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TinySwap.Native;

namespace TinySwap.Config;

/// <summary>Checks a `caFile` at load time, so a missing or garbled file fails the config instead of the first request.</summary>
internal static class PemCertificates
{
    /// <summary>Null when <paramref name="path"/> holds at least one PEM certificate; otherwise what is wrong, for the message.</summary>
    public static string? Check(string path)
    {
        // X.509 parsing is OpenSSL's too, and without libssl the runtime would abort the process rather than throw.
        if (!OpenSsl.IsAvailable)
            return $"cannot read '{path}': {OpenSsl.MissingMessage}";
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            var count = certificates.Count;
            foreach (var certificate in certificates)
                certificate.Dispose();
            return count == 0 ? $"'{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)" : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return $"cannot read certificates from '{path}': {ex.Message}";
        }
    }
}
