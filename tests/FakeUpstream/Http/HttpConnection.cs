using System.Net.Sockets;

namespace FakeUpstream.Http;

/// <summary>Serves requests one after another on one keep-alive connection until the client leaves.</summary>
internal sealed class HttpConnection(Socket socket, Func<Exchange, ValueTask> route)
{
    private readonly ConnectionInput _input = new(socket);

    public async Task RunAsync(CancellationToken cancel)
    {
        var response = new ResponseWriter(socket);
        var exchange = new Exchange(response, cancel, () => new UpgradedStream(socket, _input));
        try
        {
            while (await ServeOneAsync(exchange, response))
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException or OperationCanceledException)
        {
            // The client went away or sent garbage mid-body: nothing to answer, just close.
        }
        finally
        {
            socket.Dispose();
        }
    }

    /// <summary>Reads one request, routes it and finishes its body; false when the connection should close.</summary>
    private async ValueTask<bool> ServeOneAsync(Exchange exchange, ResponseWriter response)
    {
        var head = await ReadHeadAsync(exchange.Cancel);
        if (head.EndOfStream)
            return false;
        response.BeginResponse(closeAfter: false);
        if (head.Request is not { } request)
        {
            response.CloseAfter = true;
            await response.SendAsync(400, "text/plain", "bad request head\n"u8, exchange.Cancel);
            return false;
        }

        var (body, framingError) = MessageBody.For(request, _input);
        if (body is null)
        {
            response.CloseAfter = true;
            await response.SendAsync(400, "text/plain", System.Text.Encoding.ASCII.GetBytes(framingError + "\n"), exchange.Cancel);
            return false;
        }
        response.CloseAfter = !request.KeepAlive;
        if (request.HeaderHasToken("Expect", "100-continue") && !body.IsFinished)
            await response.SendContinueAsync(exchange.Cancel);

        exchange.Reset(request, body);
        try
        {
            await route(exchange);
        }
        catch (Exception e) when (!response.Started && e is not (IOException or SocketException or OperationCanceledException))
        {
            // A bug or a file error in a route: say so instead of dropping the connection without a word.
            response.CloseAfter = true;
            await exchange.SendErrorAsync(500, $"{e.GetType().Name}: {e.Message}", "server_error");
        }
        if (response.CloseAfter)
            return false;
        await body.DrainAsync(exchange.Scratch, exchange.Cancel);
        return true;
    }

    private readonly record struct Head(bool EndOfStream, HttpRequest? Request);

    /// <summary>A null Request with EndOfStream false means the head was malformed.</summary>
    private async ValueTask<Head> ReadHeadAsync(CancellationToken cancel)
    {
        while (true)
        {
            _input.Consume(RequestHeadParser.LeadingEmptyLines(_input.Buffered));
            var end = RequestHeadParser.FindHeadEnd(_input.Buffered);
            if (end >= 0)
            {
                var request = RequestHeadParser.Parse(_input.Buffered[..end]);
                _input.Consume(end);
                return new Head(false, request);
            }
            if (!await _input.FillAsync(cancel))
                return new Head(true, null); // closed, possibly mid-head: nobody left to answer
        }
    }
}
