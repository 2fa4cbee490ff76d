using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TinySwap.Config;

/// <summary>Checks a `caFile` at load time, so a missing or garbled file fails the config instead of the first request.</summary>
internal static class PemCertificates
{
    /// <summary>Null when <paramref name="path"/> holds at least one PEM certificate; otherwise what is wrong, for the message.</summary>
    public static string? Check(string path)
    {
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
