using TinySwap.Contracts;

namespace TinySwap.Proxy.LoadingStream;

/// <summary>
/// What the router told one waiting request, kept for the loading stream's writer. The router calls it on its loop
/// thread (so it only stores and signals); the first notice is the sign that the request must wait at all: a ready
/// model grants without one.
/// </summary>
internal sealed class LoadingProgress : IWaitObserver
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _firstNotice = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int? _queuePosition;
    private string? _loadingModel;
    private TimeSpan? _estimatedRemaining;
    private long _loadingSince;

    public Task FirstNotice => _firstNotice.Task;

    /// <summary>Completes at the next notice after this call.</summary>
    public Task Changed
    {
        get { lock (_lock) return _changed.Task; }
    }

    public void QueuePosition(int position) => Update(() => _queuePosition = position);

    public void Loading(string modelId, TimeSpan? estimatedRemaining) => Update(() =>
    {
        if (_loadingModel != modelId)
            _loadingSince = TimeProvider.System.GetTimestamp();
        _queuePosition = null;
        _loadingModel = modelId;
        _estimatedRemaining = estimatedRemaining;
    });

    /// <summary>The picture now: a queue position, or the model loading with its learned estimate at the last notice.</summary>
    public LoadingSnapshot Snapshot()
    {
        lock (_lock)
            return new LoadingSnapshot(_queuePosition, _loadingModel, _estimatedRemaining,
                _loadingModel is null ? TimeSpan.Zero : TimeProvider.System.GetElapsedTime(_loadingSince));
    }

    private void Update(Action change)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            change();
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
        _firstNotice.TrySetResult();
    }
}

/// <summary>One reading of <see cref="LoadingProgress"/>; <see cref="LoadingFor"/> counts from the first loading notice.</summary>
internal readonly record struct LoadingSnapshot(int? QueuePosition, string? LoadingModel, TimeSpan? EstimatedRemaining, TimeSpan LoadingFor);
