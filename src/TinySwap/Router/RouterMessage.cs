namespace TinySwap.Router;

/// <summary>What a message asks the loop to do.</summary>
internal enum RouterMessageKind
{
    Acquire,
    Release,
    WaiterCancelled,
    StartDone,
    SleepDone,
    StopDone,
    Fault,
    TimerDue,
    Load,
    Unload,
    Reload,
    Shutdown,
    Snapshot,
    Barrier,
    Exit,
}

/// <summary>
/// One unit of work for the router loop. A struct with untyped slots so that the per-request messages (acquire,
/// release) cost no allocation: the waiter or the model config travels in <see cref="Subject"/>, a ticket in <see cref="Number"/>.
/// </summary>
internal readonly struct RouterMessage(RouterMessageKind kind, object? subject = null, object? payload = null, long number = 0)
{
    public RouterMessageKind Kind { get; } = kind;
    public object? Subject { get; } = subject;
    public object? Payload { get; } = payload;
    public long Number { get; } = number;
}
