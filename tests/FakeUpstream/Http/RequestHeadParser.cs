using System.Text;

namespace FakeUpstream.Http;

/// <summary>
/// A lenient HTTP/1.1 request-head parser: accepts bare LF line ends and skips empty lines before the
/// request line (both allowed by RFC 9112 §2.2), because a test stand-in should accept what a sloppy
/// client sends and leave strictness to the product.
/// </summary>
internal static class RequestHeadParser
{
    /// <summary>Finds the end of the head (the byte after the empty line), or -1 if it has not all arrived.</summary>
    public static int FindHeadEnd(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        while (true)
        {
            var lf = data[offset..].IndexOf((byte)'\n');
            if (lf < 0)
                return -1;
            var next = offset + lf + 1;
            if (next < data.Length && data[next] == '\n')
                return next + 1;
            if (next + 1 < data.Length && data[next] == '\r' && data[next + 1] == '\n')
                return next + 2;
            if (next + 1 >= data.Length)
                return -1;
            offset = next;
        }
    }

    /// <summary>Number of leading CRLF/LF bytes to skip before a request line.</summary>
    public static int LeadingEmptyLines(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length && (data[i] == '\r' || data[i] == '\n'))
            i++;
        return i;
    }

    public static HttpRequest? Parse(ReadOnlySpan<byte> head)
    {
        var text = Encoding.Latin1.GetString(head);
        var lines = text.Split('\n');
        var requestLine = lines[0].TrimEnd('\r').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            return null;

        var headers = new List<KeyValuePair<string, string>>(lines.Length);
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
                continue;
            var colon = line.IndexOf(':');
            if (colon <= 0)
                return null;
            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        var target = requestLine[1];
        var question = target.IndexOf('?');
        return new HttpRequest
        {
            Method = requestLine[0],
            Target = target,
            Path = question < 0 ? target : target[..question],
            Query = question < 0 ? "" : target[(question + 1)..],
            Version = requestLine[2],
            Headers = headers,
        };
    }
}
