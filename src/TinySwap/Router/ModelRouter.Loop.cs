using System.Collections.Concurrent;
using TinySwap.Contracts;

namespace TinySwap.Router;

internal sealed partial class ModelRouter
{
    private readonly Thread _thread;
    private readonly ConcurrentQueue<RouterMessage> _inbox = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private volatile bool _exited;
    private long _lastTicket;

    // A barrier re-queues itself behind newer messages at most this often, so a busy loop cannot starve it forever.
    private const long MaxBarrierRounds = 1000;

    /// <summary>Hands a message to the loop; any thread, never blocks.</summary>
    internal void Post(in RouterMessage message)
    {
        _inbox.Enqueue(message);
        _wake.Set();
        // Enqueue is a full fence and the loop sets _exited before its last look at the inbox, so a message posted
        // after that look is seen here and answered on this thread rather than left waiting forever.
        if (_exited)
            AnswerAfterExit();
    }

    /// <summary>Names an unload or shutdown, so the core's Complete effect finds its caller.</summary>
    private long NextTicket() => Interlocked.Increment(ref _lastTicket);

    private void Run()
    {
        while (true)
        {
            _wake.Wait();
            // Reset before draining: a Set that races with the drain leaves the event set, costing one empty pass.
            _wake.Reset();
            while (_inbox.TryDequeue(out var message))
            {
                if (message.Kind == RouterMessageKind.Exit)
                {
                    DisposeTimers();
                    _exited = true;
                    Interlocked.MemoryBarrier();
                    AnswerAfterExit();
                    return;
                }
                try
                {
                    Dispatch(message);
                }
                catch (Exception e)
                {
                    // A bug here must not take down the thread that owns every model; log it loudly and go on.
                    RouterLog.LoopFault(_log, message.Kind == RouterMessageKind.Input ? message.Input.Kind : message.Kind, e);
                }
                if (message.Kind == RouterMessageKind.Input)
                {
                    PublishStates();
                    Volatile.Write(ref _stateVersion, _stateVersion + 1);
                    try
                    {
                        _options.StateChanged?.Invoke();
                    }
                    catch (Exception e)
                    {
                        RouterLog.LoopFault(_log, message.Input.Kind, e);
                    }
                }
                _options.OnMessageProcessed?.Invoke(message);
            }
        }
    }

    private void Dispatch(in RouterMessage message)
    {
        switch (message.Kind)
        {
            case RouterMessageKind.Input:
                HandleInput(message);
                break;
            case RouterMessageKind.Snapshot:
                message.SnapshotReply!.TrySetResult(PublishSnapshot());
                break;
            case RouterMessageKind.Barrier:
                // Work that this round of messages posted (operations that completed at once) is part of "settled".
                if (!_inbox.IsEmpty && message.Round < MaxBarrierRounds)
                    Post(RouterMessage.Barrier(message.Done!, message.Round + 1));
                else
                    message.Done!.TrySetResult(true);
                break;
        }
    }

    private void HandleInput(in RouterMessage message)
    {
        var input = WithGateFigures(message.Input.At(_time.GetTimestamp()));
        switch (input.Kind)
        {
            case RouterInputKind.Unload or RouterInputKind.Shutdown:
                _completions.Add(input.Ticket, message.Done!);
                break;
            case RouterInputKind.StartDone:
                OperationEnded(input.Slot!, input.Generation);
                break;
        }
        Execute(_core.Handle(input));
        switch (input.Kind)
        {
            case RouterInputKind.Cancelled:
                input.Request!.Unref(); // the cancellation message's own reference
                break;
            case RouterInputKind.Reload:
                Volatile.Write(ref _config, input.Config!);
                RefreshGateConfigs();
                message.Done!.TrySetResult(true);
                break;
        }
    }

    /// <summary>After the loop has ended: refuse what waits, complete what expects completion.</summary>
    private void AnswerAfterExit()
    {
        while (_inbox.TryDequeue(out var message))
        {
            var request = message.Input.Request;
            switch (message.Input.Kind)
            {
                case RouterInputKind.Acquire or RouterInputKind.Load when message.Kind == RouterMessageKind.Input:
                    request!.TryComplete(GateResult.Refused(RouterRefusals.ShuttingDown));
                    request.Unref();
                    continue;
                case RouterInputKind.Cancelled when message.Kind == RouterMessageKind.Input:
                    request!.Unref();
                    continue;
            }
            // An unload that never ran stopped nothing; everything else that waits just completes.
            message.Done?.TrySetResult(message.Input.Kind != RouterInputKind.Unload);
            message.SnapshotReply?.TrySetResult(Volatile.Read(ref _snapshot).Models);
        }
    }
}
