using TinySwap.Http.Parsing;
using TinySwap.Http.Transport;

namespace TinySwap.Http.Server;

internal sealed partial class HttpConnection
{
    /// <summary>Answers a refused request with its status; the connection is closed afterwards.</summary>
    private async ValueTask RejectAsync(HttpRejection reason)
    {
        var status = HttpRejections.StatusCode(reason);
        HttpLog.RequestRejected(_logger, RemoteEndPoint, reason, status);
        if (_response.HasStarted)
        {
            Abort();
            return;
        }
        _response.Reset(_transport.Output, HttpVersion.Http11, requestIsHead: false, keepAliveAllowed: false);
        await ErrorResponse.WriteAsync(_response, status, HttpRejections.Describe(reason));
    }

    /// <summary>
    /// Reads and discards the rest of a body the handler did not read, within DrainTimeout, so the connection can
    /// carry the next request; false when that failed and the connection must close.
    /// </summary>
    private async ValueTask<bool> DrainBodyAsync()
    {
        SetDeadline(ConnectionState.Draining, _options.DrainTimeout);
        try
        {
            while (!_body.IsCompleted)
            {
                var result = await _body.ReadAsync();
                _body.AdvanceTo(result.Buffer.End);
            }
            return true;
        }
        catch (HttpRejectedException)
        {
            return false;
        }
        finally
        {
            ClearDeadline(ConnectionState.Processing);
        }
    }

    /// <summary>
    /// A graceful close sends what is left, shuts our side (FIN) and keeps reading for LingerTimeout: closing a socket
    /// with unread input makes the kernel send a reset, which can destroy the response before the client reads it.
    /// </summary>
    private async Task CloseAsync(bool graceful)
    {
        if (graceful && !_transport.IsClosed)
        {
            try
            {
                await _transport.Output.FlushAsync();
                _transport.ShutdownOutput();
                SetDeadline(ConnectionState.Lingering, _options.LingerTimeout);
                var input = _transport.Input;
                long discarded = 0;
                // Bounded in time and in bytes: a client streaming a huge body at us does not get to keep us busy.
                while (discarded <= _options.DrainLimitBytes)
                {
                    var result = await input.ReadAsync();
                    discarded += result.Buffer.Length;
                    input.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted || (result.IsCanceled && TakeTimeout()))
                        break;
                }
            }
            catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
            {
            }
        }
        await _transport.DisposeAsync();
    }
}
