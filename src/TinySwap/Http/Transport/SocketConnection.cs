using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace TinySwap.Http.Transport;

/// <summary>
/// A connected socket as a duplex pipe. Plain TCP input is read on demand (<see cref="SocketInput"/>: the reader's
/// ReadAsync calls recv(2), with no loop or pipe in between); TLS input, shaped like Kestrel's socket transport, has one
/// receive loop fill a pipe through the SslStream and pause at <see cref="InputPauseBytes"/>. Either way a peer that
/// goes away is noticed while the application is busy (<see cref="Closed"/>).
/// Reads and sends go through our own event loop (<see cref="SocketReadiness"/>), TLS's through an SslStream over it.
/// Output writes straight to the socket on FlushAsync (<see cref="SocketPipeWriter"/>: no send loop, no thread hop, no
/// stream in between): a slow peer makes FlushAsync slow, which is the backpressure the proxy relies on.
/// </summary>
internal sealed class SocketConnection : ITunnelSide, IAsyncDisposable
{
    /// <summary>TLS input bytes buffered before the receive loop stops reading (the TCP window then closes).</summary>
    public const int InputPauseBytes = 64 * 1024;
    private const int InputResumeBytes = InputPauseBytes / 2;

    private static readonly PipeOptions InputOptions = new(
        pauseWriterThreshold: InputPauseBytes, resumeWriterThreshold: InputResumeBytes,
        // Inline on both ends: the reader's continuation runs on the thread that received the bytes, so a request or
        // a streamed token is handled without a hop through the thread pool (what Kestrel's inline scheduling does).
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
        minimumSegmentSize: ReceiveSizing.Min, useSynchronizationContext: false);

    private readonly Socket _socket;
    // TLS to an https:// upstream: bytes go through this stream (an SslStream over the socket) instead of the socket.
    private readonly Stream? _stream;
    // The socket's registration on our event loop: plain TCP reads and sends through it, TLS through _stream over it.
    private readonly SocketReadiness _readiness;
    // Plain TCP: read on demand. TLS: the receive loop's pipe.
    private readonly SocketInput? _socketInput;
    private readonly Pipe? _input;
    private readonly CancellationTokenSource _closed = new();
    private Task _receiveLoop = Task.CompletedTask;
    private long _bytesReceived;
    private int _disposed;

    /// <param name="stream">
    /// A stream layered on <paramref name="socket"/> (TLS) that carries the bytes both ways; the socket is still what
    /// Abort resets. Disposed with the connection.
    /// </param>
    /// <param name="readiness">
    /// The socket's registration when its connect already made one (<see cref="TcpConnector"/>); required with
    /// <paramref name="stream"/>, which runs over it (<see cref="ReadinessStream"/>).
    /// </param>
    /// <exception cref="IOException">epoll would not take the socket; the caller still owns it.</exception>
    public SocketConnection(Socket socket, Stream? stream = null, SocketReadiness? readiness = null)
    {
        _socket = socket;
        _stream = stream;
        // Small writes (an SSE event, a response head) must leave at once; Nagle would hold them for an ACK.
        socket.NoDelay = true;
        _readiness = readiness ?? SocketReadiness.Register(socket.SafeHandle);
        if (stream is null)
            _socketInput = new SocketInput(_readiness, SignalClosed);
        else
            _input = new Pipe(InputOptions);
        Output = stream is null
            ? new SocketPipeWriter(_readiness, this)
            : PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: ReceiveSizing.Min, leaveOpen: true));
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
    }

    public PipeReader Input => _socketInput ?? _input!.Reader;
    public PipeWriter Output { get; }
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>Fires when the peer closed or reset the connection, or when we aborted it.</summary>
    public CancellationToken Closed => _closed.Token;

    public bool IsClosed => _closed.IsCancellationRequested;

    /// <summary>Bytes received so far (read by the heartbeat's body-rate check).</summary>
    public long BytesReceived => _socketInput?.BytesReceived ?? Volatile.Read(ref _bytesReceived);

    /// <summary>Starts reading ahead (TLS only: plain TCP input is read when the application asks).</summary>
    public void Start()
    {
        if (_input is not null)
            _receiveLoop = ReceiveLoopAsync(_input.Writer, _stream!);
    }

    private async Task ReceiveLoopAsync(PipeWriter writer, Stream stream)
    {
        Exception? error = null;
        var size = ReceiveSizing.Min;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(size);
                var received = await stream.ReadAsync(memory);
                if (received == 0)
                    break;
                size = ReceiveSizing.Next(size, received, memory.Length);
                writer.Advance(received);
                Volatile.Write(ref _bytesReceived, _bytesReceived + received);
                var flush = await writer.FlushAsync();
                if (flush.IsCompleted || flush.IsCanceled)
                    break;
            }
        }
        catch (Exception ex)
        {
            error = IoFailure.InputFailure(ex, closedByUs: Volatile.Read(ref _disposed) != 0);
        }
        finally
        {
            await writer.CompleteAsync(error);
            SignalClosed();
        }
    }

    private void SignalClosed()
    {
        try
        {
            _closed.Cancel();
        }
        catch (AggregateException)
        {
            // A registration threw; the connection is closing regardless.
        }
    }

    /// <summary>Closes the write side after pending output is sent (FIN), leaving reads open for a lingering drain.</summary>
    public void ShutdownOutput()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
        {
        }
    }

    /// <summary>
    /// Ends the connection with a reset (SO_LINGER 0) rather than a FIN, so a peer reading a response we could not
    /// finish sees an error instead of a clean end of stream that could pass for a complete body.
    /// </summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
        {
        }
        _readiness.Close();
        _socket.Dispose();
        SignalClosed();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _readiness.Close();
            _socket.Dispose();
        }
        SignalClosed();
        // The reader goes first: a receive loop parked in FlushAsync on a full pipe (a peer that sent more than we
        // chose to read) only wakes when its reader completes; disposing the socket alone would leave it, and this
        // await, waiting forever with the connection's slot held (issue 10).
        await Input.CompleteAsync();
        await _receiveLoop;
        await Output.CompleteAsync();
        if (_stream is not null)
            await _stream.DisposeAsync();
        // _closed is deliberately not disposed: timer callbacks (a forwarder's head timeout, say) may still call
        // Abort after we are gone, and Cancel on a disposed source throws on a timer thread, killing the process.
        // A source with no timer of its own holds nothing that needs disposing.
    }
}
