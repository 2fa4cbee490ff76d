using System.Buffers;

namespace TinySwap.Http.Parsing;

/// <summary>Parses `HTTP-version SP status-code SP [reason-phrase] CRLF` (RFC 9112 §4) from an upstream.</summary>
internal static class StatusLineParser
{
    /// <summary>False: the line is incomplete. The reason phrase is validated and discarded (RFC 9112 §4: clients ignore it).</summary>
    public static bool TryParse(ref SequenceReader<byte> reader, int limit, out HttpVersion version, out int statusCode)
    {
        var scratch = new LineScratch();
        try
        {
            if (!HeadLineReader.TryReadLine(ref reader, limit, HttpRejection.InvalidStatusLine, HttpRejection.InvalidStatusLine,
                    ref scratch, out var line, out _))
            {
                version = default;
                statusCode = 0;
                return false;
            }
            Parse(line, out version, out statusCode);
            return true;
        }
        finally
        {
            scratch.Dispose();
        }
    }

    private static void Parse(ReadOnlySpan<byte> line, out HttpVersion version, out int statusCode)
    {
        // Some servers omit the SP before an empty reason phrase; the grammar requires it but nothing depends on it.
        if (line.Length < 12 || line[8] != (byte)' ' || (line.Length > 12 && line[12] != (byte)' ')
            || !HttpVersions.TryParse(line[..8], out version, out _))
        {
            HttpRejectedException.Throw(HttpRejection.InvalidStatusLine);
            version = default;
        }
        statusCode = 0;
        for (var i = 9; i < 12; i++)
        {
            var digit = line[i] - '0';
            if ((uint)digit > 9)
                HttpRejectedException.Throw(HttpRejection.InvalidStatusLine);
            statusCode = statusCode * 10 + digit;
        }
        if (statusCode < 100)
            HttpRejectedException.Throw(HttpRejection.InvalidStatusLine);
        if (line.Length > 13 && line[13..].IndexOfAny(HttpCharacters.InvalidFieldValue) >= 0)
            HttpRejectedException.Throw(HttpRejection.InvalidStatusLine);
    }
}
