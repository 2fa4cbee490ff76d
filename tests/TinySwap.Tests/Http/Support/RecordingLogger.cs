using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TinySwap.Tests.Http.Support;

/// <summary>Keeps every log line, so a failing test can show what the server said.</summary>
internal sealed class RecordingLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)} {exception}");

    public override string ToString() => string.Join("\n", Lines);
}
