using Microsoft.Extensions.Logging;

namespace TinySwap.Proxy;

internal static partial class ProxyLog
{
    [LoggerMessage(3000, LogLevel.Debug, "{Method} {Target} → {Model}: {Status} ({Error})")]
    public static partial void Forwarded(ILogger logger, string method, string target, string model, int status, string error);

    [LoggerMessage(3001, LogLevel.Information, "{Model}: request refused with {Status}: {Reason}")]
    public static partial void Refused(ILogger logger, string model, int status, string reason);

    [LoggerMessage(3002, LogLevel.Error, "An upload could not be held until its model field (check tempDir): {Reason}")]
    public static partial void SpillFailed(ILogger logger, string reason);
}
