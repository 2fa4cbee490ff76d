using System.Buffers;
using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;

namespace FakeUpstream.Http;

/// <summary>
/// Writes responses on one connection: whole bodies with Content-Length in one send, or chunked
/// streams with one send per chunk so every SSE event leaves at once (no Nagle: NoDelay is set).
/// </summary>
internal sealed class ResponseWriter(Socket socket)
{
    private readonly ArrayBufferWriter<byte> _out = new(4096);

    /// <summary>Set when the connection must close after this response.</summary>
    public bool CloseAfter { get; set; }

    /// <summary>True once this response's head has gone out: from then on an error can only close the connection.</summary>
    public bool Started { get; private set; }

    public void BeginResponse(bool closeAfter)
    {
        CloseAfter = closeAfter;
        Started = false;
    }

    public ValueTask SendAsync(int status, string contentType, ReadOnlySpan<byte> body, CancellationToken cancel)
    {
        _out.ResetWrittenCount();
        WriteHead(status, contentType, body.Length);
        Append(body);
        return FlushAsync(cancel);
    }

    /// <summary>Sends only the head with a Content-Length; the caller follows with <see cref="SendRawAsync"/>.</summary>
    public ValueTask StartFixedAsync(int status, string contentType, long length, CancellationToken cancel)
    {
        _out.ResetWrittenCount();
        WriteHead(status, contentType, length);
        return FlushAsync(cancel);
    }

    public ValueTask StartChunkedAsync(int status, string contentType, CancellationToken cancel)
    {
        _out.ResetWrittenCount();
        WriteHead(status, contentType, length: -1);
        return FlushAsync(cancel);
    }

    /// <summary>One chunk (RFC 9112 §7.1): size in hex, CRLF, data, CRLF — sent at once.</summary>
    public ValueTask WriteChunkAsync(ReadOnlySpan<byte> data, CancellationToken cancel)
    {
        if (data.IsEmpty)
            return ValueTask.CompletedTask; // an empty chunk would end the body
        _out.ResetWrittenCount();
        Utf8Formatter.TryFormat(data.Length, _out.GetSpan(16), out var written, new StandardFormat('x'));
        _out.Advance(written);
        Append("\r\n"u8);
        Append(data);
        Append("\r\n"u8);
        return FlushAsync(cancel);
    }

    public ValueTask EndChunkedAsync(CancellationToken cancel)
    {
        _out.ResetWrittenCount();
        Append("0\r\n\r\n"u8);
        return FlushAsync(cancel);
    }

    public async ValueTask SendRawAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancel);
            data = data[sent..];
        }
    }

    /// <summary>The interim answer a client waits for before sending a large body (RFC 9110 §10.1.1).</summary>
    public ValueTask SendContinueAsync(CancellationToken cancel) => SendRawAsync(Continue, cancel);

    private static readonly byte[] Continue = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    private void WriteHead(int status, string contentType, long length)
    {
        Started = true;
        Append("HTTP/1.1 "u8);
        Utf8Formatter.TryFormat(status, _out.GetSpan(8), out var written);
        _out.Advance(written);
        Append(" "u8);
        AppendAscii(ReasonPhrase(status));
        Append("\r\nServer: FakeUpstream\r\nContent-Type: "u8);
        AppendAscii(contentType);
        if (length >= 0)
        {
            Append("\r\nContent-Length: "u8);
            Utf8Formatter.TryFormat(length, _out.GetSpan(24), out written);
            _out.Advance(written);
        }
        else
        {
            Append("\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache"u8);
        }
        if (CloseAfter)
            Append("\r\nConnection: close"u8);
        Append("\r\n\r\n"u8);
    }

    private void Append(ReadOnlySpan<byte> bytes) => _out.Write(bytes);

    private void AppendAscii(string text) => _out.Advance(Encoding.ASCII.GetBytes(text, _out.GetSpan(text.Length)));

    private ValueTask FlushAsync(CancellationToken cancel) => SendRawAsync(_out.WrittenMemory, cancel);

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
