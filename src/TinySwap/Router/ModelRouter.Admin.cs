using TinySwap.Config;
using TinySwap.Supervisor;
using TinySwap.Contracts;

namespace TinySwap.Router;

internal sealed partial class ModelRouter
{
    private ShutdownState? _shutdown;
    private bool _retirementsPending;

    private sealed class ShutdownState(long deadline, TaskCompletionSource done)
    {
        public long Deadline { get; } = deadline;
        public TaskCompletionSource Done { get; } = done;

        /// <summary>The drain is over (or timed out): models are being stopped.</summary>
        public bool StoppingModels { get; set; }
    }

    private ISwapPlanner CreatePlanner(TinySwapConfig config) =>
        (_options.PlannerFactory ?? SwapPlanners.FromConfig)(config, _options);

    private void AddSlot(ModelConfig config)
    {
        var slot = new ModelSlot(++_nextSerial, config);
        slot.Process = CreateProcess(slot, config);
        _slots.Add(config.Id, slot);
    }

    private IModelProcess CreateProcess(ModelSlot slot, ModelConfig config)
    {
        var generation = ++slot.ProcessGeneration;
        return _factory.Create(config, fault => Post(new RouterMessage(RouterMessageKind.Fault, slot, fault, generation)));
    }

    private void OnUnload(string? modelId, TaskCompletionSource<bool> done)
    {
        if (modelId is null)
        {
            var stopped = new List<ModelSlot>(_slots.Values).ConvertAll(Unload);
            Task.WhenAll(stopped).ContinueWith(static (_, state) => ((TaskCompletionSource<bool>)state!).TrySetResult(true), done,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }
        if (!_slots.TryGetValue(modelId, out var slot))
        {
            done.TrySetResult(false);
            return;
        }
        Unload(slot).ContinueWith(static (_, state) => ((TaskCompletionSource<bool>)state!).TrySetResult(true), done,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Stops a model at once, as llama-swap's unload does: an admin asked, so even in-flight requests are cut off
    /// (they release normally as they fail). Its waiters are answered 503.
    /// </summary>
    private Task Unload(ModelSlot slot)
    {
        var id = slot.Config.Id;
        RefuseQueued(id, RouterRefusals.Unloaded(id));
        if (slot.Swap is { } swap)
            CancelSwap(swap, RouterRefusals.Unloaded(id), StopReason.Unload);
        _queueDirty = true;
        if (slot.Operation != SlotOperation.None)
        {
            slot.PendingStop ??= StopReason.Unload;
            return WhenStopped(slot);
        }
        if (slot.State is ModelState.Ready or ModelState.Sleeping)
        {
            RouterLog.Unloading(_log, id);
            BeginStop(slot, StopReason.Unload);
            return WhenStopped(slot);
        }
        return Task.CompletedTask;
    }

    private static Task WhenStopped(ModelSlot slot)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (slot.StopWaiters ??= []).Add(stopped);
        return stopped.Task;
    }

    /// <summary>Answers and removes the queued requests for one model (or all, when <paramref name="modelId"/> is null).</summary>
    private void RefuseQueued(string? modelId, GateRefusal refusal)
    {
        var pass = _queue.TakeAll();
        try
        {
            foreach (var waiter in pass)
            {
                if (modelId is null || waiter.ModelId == modelId)
                    Refuse(waiter, refusal);
                else
                    _queue.Requeue(waiter);
            }
        }
        finally
        {
            pass.Clear();
        }
        _positionsDirty = true;
    }

    private void OnReload(TinySwapConfig config, TaskCompletionSource done)
    {
        Volatile.Write(ref _config, config);
        _planner = CreatePlanner(config);
        int kept = 0, changed = 0, removed = 0, added = 0;
        var next = new Dictionary<string, ModelConfig>(StringComparer.Ordinal);
        foreach (var model in config.Models)
            next.Add(model.Id, model);
        foreach (var slot in _slots.Values)
        {
            var nextConfig = next.GetValueOrDefault(slot.Config.Id);
            // Compare with what the process was created from: a second reload may bring back the running config.
            if (nextConfig is not null && nextConfig.Fingerprint == slot.Process.Config.Fingerprint)
            {
                slot.Config = nextConfig;
                slot.Retiring = false;
                slot.NextConfig = null;
                kept++;
                continue;
            }
            slot.Retiring = true;
            slot.NextConfig = nextConfig;
            _retirementsPending = true;
            if (nextConfig is null)
                removed++;
            else
                changed++;
        }
        foreach (var model in config.Models)
        {
            if (!_slots.ContainsKey(model.Id))
            {
                AddSlot(model);
                added++;
            }
        }
        RouterLog.Reloaded(_log, kept, changed, removed, added);
        _queueDirty = true;
        done.TrySetResult();
    }

    /// <summary>Stops changed or removed models once idle, then gives them their new process (or drops them).</summary>
    private void RetireIdleModels()
    {
        if (!_retirementsPending || _shutdown is not null)
            return;
        _retirementsPending = false;
        List<ModelSlot>? gone = null;
        foreach (var slot in _slots.Values)
        {
            if (!slot.Retiring)
                continue;
            if (!slot.IsIdle)
            {
                _retirementsPending = true; // look again after the next change
                continue;
            }
            if (slot.State is ModelState.Ready or ModelState.Sleeping)
            {
                BeginStop(slot, StopReason.Reload);
                _retirementsPending = true;
                continue;
            }
            if (slot.NextConfig is { } nextConfig)
            {
                slot.Config = nextConfig;
                slot.Process = CreateProcess(slot, nextConfig);
                slot.State = ModelState.Stopped;
                slot.FailureReason = null;
                slot.Failures.Clear();
                slot.Retiring = false;
                slot.NextConfig = null;
            }
            else
            {
                (gone ??= []).Add(slot);
            }
            _queueDirty = true;
        }
        if (gone is null)
            return;
        foreach (var slot in gone)
        {
            _slots.Remove(slot.Config.Id);
            slot.TtlTimer?.Dispose();
            slot.CompleteStopWaiters();
        }
    }

    private void OnShutdown(TimeSpan drainTimeout, TaskCompletionSource done)
    {
        var deadline = Now + ToTimestampSpan(drainTimeout);
        _shutdown = new ShutdownState(deadline, done);
        RouterLog.ShuttingDown(_log, drainTimeout.TotalSeconds);
        RefuseQueued(null, RouterRefusals.ShuttingDown);
        foreach (var swap in _swaps.ToArray())
            CancelSwap(swap, RouterRefusals.ShuttingDown, StopReason.Shutdown);
        WakeAt(deadline);
    }

    /// <summary>Drain, then stop everything in parallel, then report.</summary>
    private void AdvanceShutdown()
    {
        if (_shutdown is not { } shutdown || shutdown.Done.Task.IsCompleted)
            return;
        if (!shutdown.StoppingModels)
        {
            var inFlight = 0;
            foreach (var slot in _slots.Values)
                inFlight += slot.InFlight;
            if (inFlight > 0 && Now < shutdown.Deadline)
                return;
            shutdown.StoppingModels = true;
            RouterLog.StoppingAll(_log, inFlight);
            foreach (var slot in _slots.Values)
            {
                if (slot.Operation != SlotOperation.None)
                {
                    slot.PendingStop ??= StopReason.Shutdown;
                    slot.StartCancel?.Cancel();
                }
                else if (slot.State is ModelState.Ready or ModelState.Sleeping)
                {
                    BeginStop(slot, StopReason.Shutdown);
                }
            }
        }
        foreach (var slot in _slots.Values)
        {
            if (slot.Operation != SlotOperation.None || slot.State is ModelState.Ready or ModelState.Sleeping)
                return;
        }
        foreach (var slot in _slots.Values)
        {
            slot.State = ModelState.ShutDown;
            slot.CompleteStopWaiters();
        }
        RouterLog.ShutDown(_log);
        shutdown.Done.TrySetResult();
    }
}
