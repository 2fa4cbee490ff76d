using System.Threading.Channels;

namespace TinySwap.Observability.Streams;

/// <summary>
/// One message to many readers, each behind its own bounded queue. Publishing never waits: a reader whose queue is
/// full is dropped on the spot (its queue completed, its <see cref="FanOutReader.Dropped"/> token cancelled), so a
/// client that stops reading costs the publisher — the router loop, a child's output thread — one failed TryWrite.
/// Readers are an immutable array swapped on change, so publishing is a loop over a field read with no lock.
/// </summary>
internal sealed class FanOut(int queueCapacity)
{
    private FanOutReader[] _readers = [];
    private long _dropped;

    public bool HasReaders => Volatile.Read(ref _readers).Length > 0;

    /// <summary>Readers dropped because they fell behind, since start.</summary>
    public long DroppedReaders => Interlocked.Read(ref _dropped);

    public FanOutReader Subscribe()
    {
        var reader = new FanOutReader(queueCapacity, this);
        FanOutReader[] current, next;
        do
        {
            current = Volatile.Read(ref _readers);
            next = [.. current, reader];
        }
        while (Interlocked.CompareExchange(ref _readers, next, current) != current);
        return reader;
    }

    internal void Remove(FanOutReader reader)
    {
        FanOutReader[] current, next;
        do
        {
            current = Volatile.Read(ref _readers);
            if (Array.IndexOf(current, reader) < 0)
                return;
            next = Array.FindAll(current, r => r != reader);
        }
        while (Interlocked.CompareExchange(ref _readers, next, current) != current);
    }

    /// <summary>Ends every reader's stream cleanly (shutdown): each gets what is queued, then the end.</summary>
    public void CloseAll()
    {
        foreach (var reader in Interlocked.Exchange(ref _readers, []))
            reader.Close();
    }

    public void Publish(byte[] message)
    {
        foreach (var reader in Volatile.Read(ref _readers))
        {
            if (!reader.TryWrite(message))
            {
                Interlocked.Increment(ref _dropped);
                reader.Drop();
            }
        }
    }
}

/// <summary>One reader of a <see cref="FanOut"/>: read its messages, and dispose it when the client goes.</summary>
internal sealed class FanOutReader : IDisposable
{
    private readonly Channel<byte[]> _queue;
    private readonly CancellationTokenSource _dropped = new();
    private readonly FanOut _owner;

    internal FanOutReader(int capacity, FanOut owner)
    {
        _owner = owner;
        // Wait mode makes TryWrite fail when full (the signal to drop); nobody ever waits on the writing side.
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public ChannelReader<byte[]> Messages => _queue.Reader;

    /// <summary>Cancelled when this reader fell behind and was dropped: stop writing to its client (a blocked flush too).</summary>
    public CancellationToken Dropped => _dropped.Token;

    public bool WasDropped => _dropped.IsCancellationRequested;

    internal bool TryWrite(byte[] message) => _queue.Writer.TryWrite(message);

    internal void Close() => _queue.Writer.TryComplete();

    internal void Drop()
    {
        _owner.Remove(this);
        _queue.Writer.TryComplete();
        try
        {
            _dropped.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed by its client at the same moment: nobody is left to tell.
        }
    }

    public void Dispose()
    {
        _owner.Remove(this);
        _queue.Writer.TryComplete();
        _dropped.Dispose();
    }
}
