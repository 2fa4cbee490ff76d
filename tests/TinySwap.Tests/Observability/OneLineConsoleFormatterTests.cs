using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TinySwap.Observability;

namespace TinySwap.Tests.Observability;

public sealed class OneLineConsoleFormatterTests
{
    [Theory]
    [InlineData(LogLevel.Debug, "<7>dbug: ")]
    [InlineData(LogLevel.Information, "<6>info: ")]
    [InlineData(LogLevel.Warning, "<4>warn: ")]
    [InlineData(LogLevel.Error, "<3>error: ")]
    [InlineData(LogLevel.Critical, "<2>crit: ")]
    public void UnderJournald_LineStartsWithTheSyslogPriority(LogLevel level, string start)
    {
        var line = Format(new OneLineConsoleFormatter(colors: false, journald: true), level, "hello");
        Assert.Equal(start + "test[7] hello\n", line);
    }

    [Fact]
    public void OnAConsole_LineStartsWithTheUtcTime_AndErrorsSayError()
    {
        var line = Format(new OneLineConsoleFormatter(colors: false), LogLevel.Error, "broke");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z error: test\[7\] broke\n$", line);
    }

    [Fact]
    public void MultiLineMessage_StaysOneLine()
    {
        var line = Format(new OneLineConsoleFormatter(colors: false, journald: true), LogLevel.Warning, "a\nb");
        Assert.Equal("<4>warn: test[7] a | b\n", line);
    }

    private static string Format(OneLineConsoleFormatter formatter, LogLevel level, string message)
    {
        var writer = new StringWriter();
        var entry = new LogEntry<string>(level, "test", new EventId(7), message, null, (state, _) => state);
        formatter.Write(entry, null, writer);
        return writer.ToString();
    }
}
