using TinySwap.Contracts;

namespace TinySwap.Router;

/// <summary>What a message in the shell's inbox is: an input for the core, or one of the loop's own.</summary>
internal enum RouterMessageKind : byte
{
    /// <summary>Hand <see cref="RouterMessage.Input"/> to the core (stamped with the time when handled).</summary>
    Input,

    /// <summary>Build a status snapshot for <see cref="RouterMessage.SnapshotReply"/>.</summary>
    Snapshot,

    /// <summary>Complete <see cref="RouterMessage.Done"/> once everything posted before it has been handled.</summary>
    Barrier,

    /// <summary>End the loop thread.</summary>
    Exit,
}

/// <summary>
/// One unit of work for the router loop. A struct, so the per-request messages (acquire, release) cost no allocation.
/// <see cref="Done"/> carries an unload's or shutdown's completion (registered under the input's ticket) or a barrier's.
/// </summary>
internal readonly struct RouterMessage
{
    private RouterMessage(RouterMessageKind kind) => Kind = kind;

    public RouterMessageKind Kind { get; }
    public RouterInput Input { get; private init; }
    public TaskCompletionSource<bool>? Done { get; private init; }
    public TaskCompletionSource<IReadOnlyList<ModelStatus>>? SnapshotReply { get; private init; }

    /// <summary>How often a barrier has re-queued itself behind newer messages.</summary>
    public long Round { get; private init; }

    public static RouterMessage Of(in RouterInput input, TaskCompletionSource<bool>? done = null) =>
        new(RouterMessageKind.Input) { Input = input, Done = done };

    public static RouterMessage Snapshot(TaskCompletionSource<IReadOnlyList<ModelStatus>> reply) =>
        new(RouterMessageKind.Snapshot) { SnapshotReply = reply };

    public static RouterMessage Barrier(TaskCompletionSource<bool> done, long round = 0) =>
        new(RouterMessageKind.Barrier) { Done = done, Round = round };

    public static RouterMessage Exit { get; } = new(RouterMessageKind.Exit);
}
