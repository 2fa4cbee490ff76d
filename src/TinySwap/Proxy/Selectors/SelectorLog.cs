using Microsoft.Extensions.Logging;

namespace TinySwap.Proxy.Selectors;

internal static partial class SelectorLog
{
    [LoggerMessage(3040, LogLevel.Debug, "selector {Selector} → {Target}")]
    public static partial void Selected(ILogger logger, string selector, string target);
}
