namespace TinySwap.Observability.Capture;

/// <summary>
/// <c>captureBuffer</c>: the last forwarded requests with their answers, in memory, within a byte budget; the oldest
/// capture goes first when a new one needs room. As an observation sink it hands each request a
/// <see cref="CaptureRecorder"/> when it starts and keeps what was recorded when it ends. Built only when the budget
/// is above zero, so with captures off no request pays anything for them.
/// </summary>
internal sealed class CaptureStore : IObservationSink
{
    // Each body (request, answer) may take an eighth of the budget: a capture is at most a quarter of it, so at least
    // four of the largest fit, and one long stream cannot push every other capture out.
    private const int BodyShareOfBudget = 8;

    private readonly Dictionary<long, RequestCapture> _byId = [];
    private readonly Queue<RequestCapture> _oldestFirst = new();
    private long _budgetBytes;
    private long _usedBytes;

    public CaptureStore(long budgetBytes) => BudgetBytes = budgetBytes;

    /// <summary>The budget; lowering it (a reload) evicts at once, and 0 stops capturing.</summary>
    public long BudgetBytes
    {
        get => Volatile.Read(ref _budgetBytes);
        set
        {
            lock (_byId)
            {
                _budgetBytes = Math.Max(value, 0);
                EvictUntil(_budgetBytes);
            }
        }
    }

    /// <summary>How many bytes of each body one capture keeps; the rest is counted and marked truncated.</summary>
    public int BodyLimit => (int)Math.Min(BudgetBytes / BodyShareOfBudget, Array.MaxLength);

    public long UsedBytes
    {
        get
        {
            lock (_byId)
                return _usedBytes;
        }
    }

    public int Count
    {
        get
        {
            lock (_byId)
                return _byId.Count;
        }
    }

    public void RequestStarted(RequestTrace trace)
    {
        if (BudgetBytes == 0)
        {
            trace.Capture?.Reset(0);
            trace.Capture = null;
            return;
        }
        (trace.Capture ??= new CaptureRecorder()).Reset(BodyLimit);
    }

    public void RequestFinished(RequestTrace trace, int status, long bytes, long endTimestamp)
    {
        if (trace.Capture is not { } recorder)
            return;
        if (recorder.IsRecording)
            Add(recorder.Take(trace.Id, trace.Model));
        // Between requests a connection holds no capture buffer.
        recorder.Reset(0);
    }

    /// <summary>Keeps <paramref name="capture"/>, evicting the oldest until it fits; false when it alone exceeds the budget.</summary>
    public bool Add(RequestCapture capture)
    {
        lock (_byId)
        {
            if (capture.SizeBytes > _budgetBytes)
                return false;
            EvictUntil(_budgetBytes - capture.SizeBytes);
            _byId[capture.Id] = capture;
            _oldestFirst.Enqueue(capture);
            _usedBytes += capture.SizeBytes;
            return true;
        }
    }

    public RequestCapture? Find(long id)
    {
        lock (_byId)
            return _byId.GetValueOrDefault(id);
    }

    public bool Contains(long id)
    {
        lock (_byId)
            return _byId.ContainsKey(id);
    }

    private void EvictUntil(long usedAtMost)
    {
        while (_usedBytes > usedAtMost && _oldestFirst.TryDequeue(out var oldest))
        {
            _byId.Remove(oldest.Id);
            _usedBytes -= oldest.SizeBytes;
        }
    }
}
