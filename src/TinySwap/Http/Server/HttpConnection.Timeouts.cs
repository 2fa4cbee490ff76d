using TinySwap.Http.Parsing;
using TinySwap.Http.Transport;

namespace TinySwap.Http.Server;

internal sealed partial class HttpConnection
{
    /// <summary>What the connection is doing, which decides what its deadline means.</summary>
    private enum ConnectionState
    {
        /// <summary>Between requests: the keep-alive timeout closes quietly.</summary>
        Idle,
        /// <summary>Request bytes have arrived but not the whole head: the headers timeout answers 408.</summary>
        ReadingHead,
        /// <summary>The handler runs; only the body rate is watched.</summary>
        Processing,
        /// <summary>Discarding an unread body after an early response.</summary>
        Draining,
        /// <summary>Our side is shut; reading what the client still sends before closing.</summary>
        Lingering,
    }

    private volatile ConnectionState _state = ConnectionState.ReadingHead;
    private long _deadline = long.MaxValue;
    private volatile bool _timedOut;
    private volatile bool _bodyRateActive;
    private long _bytesAtBodyStart;

    private void SetDeadline(ConnectionState state, TimeSpan timeout)
    {
        _state = state;
        Volatile.Write(ref _deadline, Heartbeat.Now + (long)timeout.TotalMilliseconds);
    }

    private void ClearDeadline(ConnectionState state)
    {
        _state = state;
        Volatile.Write(ref _deadline, long.MaxValue);
    }

    /// <summary>True (once) when a cancelled read was our timeout rather than something else.</summary>
    private bool TakeTimeout()
    {
        if (!_timedOut)
            return false;
        _timedOut = false;
        return true;
    }

    private void BeginBody(BodyFraming framing)
    {
        _bytesAtBodyStart = _transport.BytesReceived;
        _bodyRateActive = framing.Kind != BodyKind.None;
    }

    private void EndBody() => _bodyRateActive = false;

    /// <summary>
    /// Runs on the heartbeat thread. It only flags and cancels the pending read; the connection's own loop then
    /// writes the 408 or closes, so nothing here races the loop for the output.
    /// </summary>
    void IHeartbeatTarget.OnHeartbeat(long now)
    {
        if (now >= Volatile.Read(ref _deadline))
        {
            Volatile.Write(ref _deadline, long.MaxValue);
            if (_state == ConnectionState.Draining)
            {
                _body.TimeOut(HttpRejection.BodyTooSlow);
                return;
            }
            _timedOut = true;
            // Queued, because with inline pipe scheduling the cancelled read would otherwise resume on this thread.
            ThreadPool.UnsafeQueueUserWorkItem(static connection => connection.CancelPendingRead(), this, preferLocal: false);
            return;
        }
        if (_bodyRateActive && !_body.IsCompleted)
            CheckBodyRate(now);
    }

    private void CancelPendingRead()
    {
        try
        {
            _transport.Input.CancelPendingRead();
        }
        catch (InvalidOperationException)
        {
            // The connection finished in the meantime; nothing is waiting any more.
        }
    }

    /// <summary>
    /// A body must arrive at MinBodyBytesPerSecond once MinBodyRateGrace has passed. Only time spent waiting on the
    /// network counts, so a handler that is slow to read never gets its client timed out.
    /// </summary>
    private void CheckBodyRate(long now)
    {
        var waitingSince = _body.WaitingSince;
        if (waitingSince == 0)
            return;
        var waited = _body.WaitedMilliseconds + (now - waitingSince);
        var limits = _options.Limits;
        if (waited <= (long)limits.MinBodyRateGrace.TotalMilliseconds)
            return;
        var received = _transport.BytesReceived - _bytesAtBodyStart;
        if (received * 1000 < (long)limits.MinBodyBytesPerSecond * waited)
        {
            _bodyRateActive = false;
            ThreadPool.UnsafeQueueUserWorkItem(static body => body.TimeOut(HttpRejection.BodyTooSlow), _body, preferLocal: false);
        }
    }
}
