namespace TinySwap.Contracts;

internal enum ModelState { Stopped, Starting, Ready, Sleeping, Stopping, Failed, ShutDown }

/// <summary>One model as the router loop last published it (for /v1/models, /running and logs).</summary>
internal sealed record ModelStatus(string Id, ModelState State, int? Pid, int InFlight, int Queued, string? FailureReason);

/// <summary>A consistent picture of every model, safe to read from any thread (the loop publishes immutable snapshots).</summary>
internal interface IModelStatusSource
{
    IReadOnlyList<ModelStatus> Snapshot();
}
