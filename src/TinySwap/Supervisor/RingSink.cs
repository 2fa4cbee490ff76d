using Microsoft.Extensions.Logging;

namespace TinySwap.Supervisor;

/// <summary>
/// Puts a child's lines into its model's ring, the debug log and the optional <paramref name="tap"/> (the logs over
/// HTTP), optionally prefixed and capped (hooks).
/// </summary>
internal sealed class RingSink(OutputRing ring, ILogger logger, string modelId, string prefix = "", int capChars = int.MaxValue,
    Action<string, OutputStream, string>? tap = null) : IOutputSink
{
    private int _chars;
    private bool _truncated;

    public void OnLine(OutputStream stream, string line)
    {
        _chars += line.Length + 1;
        if (_chars > capChars)
        {
            if (_truncated)
                return;
            _truncated = true;
            line = $"(output truncated after {capChars} characters)";
        }
        var text = prefix.Length == 0 ? line : prefix + line;
        ring.Add(stream, text);
        tap?.Invoke(modelId, stream, text);
        if (logger.IsEnabled(LogLevel.Debug))
            SupervisorLog.OutputLine(logger, modelId, text);
    }
}
