using System.Text;

namespace TinySwap.Tests.Support;

/// <summary>Builds multipart/form-data bodies (RFC 7578) for upload tests.</summary>
internal static class Multipart
{
    public static byte[] Build(string boundary, params (string Name, string? FileName, byte[] Content)[] parts)
    {
        using var body = new MemoryStream();
        foreach (var (name, fileName, content) in parts)
        {
            var disposition = fileName is null
                ? $"form-data; name=\"{name}\""
                : $"form-data; name=\"{name}\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream";
            body.Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n"));
            body.Write(content);
            body.Write("\r\n"u8);
        }
        body.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        return body.ToArray();
    }
}
