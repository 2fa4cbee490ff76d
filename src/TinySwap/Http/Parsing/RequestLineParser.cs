using System.Buffers;

namespace TinySwap.Http.Parsing;

/// <summary>Receives the parts of a request line; spans are valid only during the call.</summary>
internal interface IRequestLineSink
{
    void OnRequestLine(ReadOnlySpan<byte> method, ReadOnlySpan<byte> target, HttpVersion version);
}

/// <summary>Parses `method SP request-target SP HTTP-version CRLF` (RFC 9112 §3).</summary>
internal static class RequestLineParser
{
    /// <summary>
    /// False: the line is incomplete (empty lines before it are consumed). The line, CRLF included, must fit in
    /// <paramref name="limit"/> bytes or the request is refused with 414.
    /// </summary>
    public static bool TryParse<TSink>(ref SequenceReader<byte> reader, TSink sink, int limit) where TSink : IRequestLineSink
    {
        // RFC 9112 §2.2: a server SHOULD ignore empty lines before the request line (clients sometimes add a CRLF
        // after a POST body). Only complete CRLF pairs are skipped; anything else goes through the strict line rules.
        while (reader.IsNext("\r\n"u8, advancePast: true))
        {
        }

        var scratch = new LineScratch();
        try
        {
            if (!HeadLineReader.TryReadLine(ref reader, limit, HttpRejection.RequestLineTooLong, HttpRejection.InvalidRequestLine,
                    ref scratch, out var line, out _))
                return false;
            Parse(line, sink);
            return true;
        }
        finally
        {
            scratch.Dispose();
        }
    }

    private static void Parse<TSink>(ReadOnlySpan<byte> line, TSink sink) where TSink : IRequestLineSink
    {
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0)
            HttpRejectedException.Throw(HttpRejection.InvalidRequestLine);
        var method = line[..firstSpace];
        if (!HttpCharacters.IsToken(method))
            HttpRejectedException.Throw(HttpRejection.InvalidMethod);

        var rest = line[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace <= 0)
            HttpRejectedException.Throw(HttpRejection.InvalidRequestLine);
        var target = rest[..secondSpace];
        if (target.IndexOfAnyExcept(HttpCharacters.TargetChar) >= 0)
            HttpRejectedException.Throw(HttpRejection.InvalidRequestTarget);
        // An encoded NUL decodes to the byte RFC 9110 §5.5 bans outright; passed on, it truncates paths in C code
        // behind us (a model server, a file lookup). No legitimate client sends it.
        if (target.IndexOf("%00"u8) >= 0)
            HttpRejectedException.Throw(HttpRejection.InvalidRequestTarget);
        // Origin-form, or asterisk-form for OPTIONS (RFC 9112 §3.2.1, §3.2.4). Absolute-form is meant for forward
        // proxies, which we are not; authority-form is CONNECT only.
        if (target[0] != (byte)'/' && !(target.SequenceEqual("*"u8) && method.SequenceEqual("OPTIONS"u8)))
            HttpRejectedException.Throw(HttpRejection.InvalidRequestTarget);

        if (!HttpVersions.TryParse(rest[(secondSpace + 1)..], out var version, out var wellFormed))
            HttpRejectedException.Throw(wellFormed ? HttpRejection.UnsupportedVersion : HttpRejection.InvalidVersion);

        sink.OnRequestLine(method, target, version);
    }
}
