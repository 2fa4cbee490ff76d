using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TinySwap.Api.Logs;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Observability.Streams;

namespace TinySwap.Api.Events;

/// <summary>
/// What GET /api/events streams: model states (diffed from the router's snapshots), state changes with their
/// durations, swaps, finished requests and log lines, plus a heartbeat comment every <see cref="HeartbeatInterval"/>.
/// Every event is formatted only when someone listens, and once for all listeners; a listener whose queue is full is
/// dropped (<see cref="FanOut"/>), so a stalled browser tab never slows the router loop or the proxy. Finished
/// requests and log lines are sent one by one up to a rate (<see cref="DetailBudget"/>), and counted past it.
/// </summary>
internal sealed class EventHub : IDisposable
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    private readonly FanOut _listeners;
    private readonly ITimer _heartbeat;
    private TinySwapConfig _config;
    // Last state of each model and when it entered it; touched only by ModelsChanged's single caller (the router loop).
    private Dictionary<string, (ModelState State, long Since, int? Pid, int InFlight, int Queued)> _last = new(StringComparer.Ordinal);
    private volatile bool _stale;
    private readonly TimeProvider _time;
    private readonly DetailBudget _requests;
    private readonly DetailBudget _lines;
    private readonly ITimer _summaries;

    /// <summary>Finished requests sent one by one per second; the page plots their speed and refreshes its list.</summary>
    public const int DefaultRequestsPerSecond = 500;

    /// <summary>Log lines sent one by one per second: more than anyone reads, and GET /logs/stream has every line.</summary>
    public const int DefaultLinesPerSecond = 1000;

    /// <summary>
    /// Events a listener may have queued before it counts as stalled and is dropped. Requests and log lines come at
    /// most <see cref="DefaultRequestsPerSecond"/> + <see cref="DefaultLinesPerSecond"/> a second however busy the
    /// proxy is, so this is over a second of a listener's pump not running (512 once lasted 9 ms, when every request
    /// made two events). The frames are shared by all listeners: a full queue keeps ~0.5 MB of them alive, and only
    /// while its listener lags.
    /// </summary>
    public const int DefaultQueueCapacity = 2048;

    public EventHub(TinySwapConfig config, TimeProvider time, int queueCapacity = DefaultQueueCapacity,
        int requestsPerSecond = DefaultRequestsPerSecond, int linesPerSecond = DefaultLinesPerSecond)
    {
        _config = config;
        _time = time;
        _listeners = new FanOut(queueCapacity);
        _requests = new DetailBudget(requestsPerSecond, time.TimestampFrequency);
        _lines = new DetailBudget(linesPerSecond, time.TimestampFrequency);
        _heartbeat = time.CreateTimer(_ => Publish(EventJson.Heartbeat), null, HeartbeatInterval, HeartbeatInterval);
        _summaries = time.CreateTimer(_ => SummariseEnded(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TinySwapConfig Config
    {
        get => Volatile.Read(ref _config);
        set => Volatile.Write(ref _config, value);
    }

    public bool HasListeners => _listeners.HasReaders;

    /// <summary>Listeners dropped because they stopped reading, since start.</summary>
    public long DroppedListeners => _listeners.DroppedReaders;

    public FanOutReader Listen()
    {
        // While nobody listened the router was not asked for snapshots, so the last picture is old: start afresh.
        if (!HasListeners)
            _stale = true;
        return _listeners.Subscribe();
    }

    /// <summary>
    /// The router's picture after it handled an input (called on its loop, one caller at a time). Sends
    /// <c>modelStatus</c> when anything a page shows changed, and a <c>stateChange</c> per model whose state moved.
    /// </summary>
    public void ModelsChanged(IReadOnlyList<ModelStatus> snapshot)
    {
        var now = Stopwatch.GetTimestamp();
        if (_stale)
        {
            _stale = false;
            _last.Clear();
        }
        var next = new Dictionary<string, (ModelState, long, int?, int, int)>(snapshot.Count, StringComparer.Ordinal);
        var changed = snapshot.Count != _last.Count;
        foreach (var status in snapshot)
        {
            var since = now;
            if (_last.Count > 0 && _last.TryGetValue(status.Id, out var before))
            {
                if (before.State == status.State)
                    since = before.Since;
                else if (HasListeners)
                    Publish(EventJson.StateChange(status.Id, before.State, status.State, Stopwatch.GetElapsedTime(before.Since, now).TotalSeconds));
                changed |= before.State != status.State || before.Pid != status.Pid || before.InFlight != status.InFlight || before.Queued != status.Queued;
            }
            else
                changed = true;
            next[status.Id] = (status.State, since, status.Pid, status.InFlight, status.Queued);
        }
        _last = next;
        if (changed && HasListeners)
            Publish(EventJson.ModelStatus(Config, snapshot));
    }

    public void LogLine(string? modelId, ReadOnlySpan<char> line)
    {
        if (HasListeners && Admit(_lines))
            Publish(EventJson.LogData(modelId, line, newline: true));
    }

    /// <summary>The router began starting <paramref name="model"/>, stopping <paramref name="evicted"/> for room.</summary>
    public void SwapStarted(string model, ReadOnlySpan<string> evicted, string reason)
    {
        if (HasListeners)
            Publish(EventJson.Swap(model, evicted, reason));
    }

    public void RequestFinished(in FinishedRequest request)
    {
        if (HasListeners && Admit(_requests))
            Publish(EventJson.Request(request));
    }

    private bool Admit(DetailBudget budget)
    {
        var decision = budget.Take(_time.GetTimestamp());
        if (decision.EndedOmitted > 0)
            Summarise(budget, decision.EndedOmitted);
        // Nothing may follow the burst: the timer sends its count when the window ends.
        if (decision.ArmIn is { } ticks)
            SummariseIn(ticks);
        return decision.Send;
    }

    private void SummariseEnded()
    {
        var now = _time.GetTimestamp();
        long? next = null;
        foreach (var budget in (ReadOnlySpan<DetailBudget>)[_requests, _lines])
        {
            var omitted = budget.TakeEnded(now, out var pendingIn);
            if (omitted > 0)
                Summarise(budget, omitted);
            if (pendingIn is { } ticks)
                next = Math.Min(next ?? ticks, ticks);
        }
        if (next is { } wait)
            SummariseIn(wait);
    }

    private void SummariseIn(long ticks) => _summaries.Change(_time.GetElapsedTime(0, ticks), Timeout.InfiniteTimeSpan);

    private void Summarise(DetailBudget budget, long omitted)
    {
        if (budget == _requests)
        {
            Publish(EventJson.RequestsOmitted(omitted, budget.PerWindow));
            return;
        }
        // Said where the lines would have been, as a line of tinyswap's own: the page shows the gap in its log.
        var message = $"{omitted} log lines were not sent on this stream (it sends at most {budget.PerWindow} a second); GET /logs/stream sends every line";
        Publish(EventJson.LogData(null, OwnLogLine.Format(_time.GetUtcNow().UtcDateTime, LogLevel.Warning, "events", message, null), newline: true));
    }

    private void Publish(byte[] frame) => _listeners.Publish(frame);

    /// <summary>Ends every listener's stream (shutdown), so open streams do not hold the server's drain.</summary>
    public void CloseListeners() => _listeners.CloseAll();

    public void Dispose()
    {
        _heartbeat.Dispose();
        _summaries.Dispose();
    }
}
