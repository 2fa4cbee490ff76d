using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TinySwap.Observability;

namespace TinySwap.Tests.Observability;

public sealed class AccessLogTests
{
    private sealed class Harness : IDisposable
    {
        public readonly MemoryStream Output = new();
        public readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> Tapped = new();
        public LogLevel MinimumLevel = LogLevel.Information;
        public readonly AccessLog Log;

        public Harness(bool journald = false, TimeSpan? coalesce = null) =>
            Log = new AccessLog(() => MinimumLevel, () => (level, category, message, _) => Tapped.Enqueue((level, category, message.ToString())),
                Output, new object(), colors: false, journald, coalesce ?? TimeSpan.Zero);

        public void Write(LogLevel level, string path = "/v1/chat/completions", double elapsedMs = 12.34) =>
            Log.Write(level, "POST"u8, System.Text.Encoding.Latin1.GetBytes(path), "llama", 200, 284, elapsedMs);

        /// <summary>Dispose drains the batch: after it, every line is written and tapped.</summary>
        public string[] Lines()
        {
            Log.Dispose();
            return System.Text.Encoding.UTF8.GetString(Output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }

        public void Dispose() => Log.Dispose();
    }

    [Fact]
    public void Line_HasTheConsoleFormattersShape()
    {
        using var harness = new Harness();
        harness.Write(LogLevel.Information);

        var line = Assert.Single(harness.Lines());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: proxy\[3003\] POST /v1/chat/completions llama 200 284 B 12\.3 ms$", line);
    }

    [Theory]
    [InlineData(12.34, "12.3")]
    [InlineData(12.36, "12.4")]
    [InlineData(5.0, "5")]
    [InlineData(4.97, "5")]
    [InlineData(0.04, "0")]
    [InlineData(0.06, "0.1")]
    [InlineData(123456.78, "123456.8")]
    public void Milliseconds_HaveOneDecimal_NoneWhenItIsZero(double elapsedMs, string shown)
    {
        using var harness = new Harness();
        harness.Write(LogLevel.Information, elapsedMs: elapsedMs);

        Assert.EndsWith($" 284 B {shown} ms", Assert.Single(harness.Lines()));
    }

    [Fact]
    public void UnderJournald_LineStartsWithTheSyslogPriority()
    {
        using var harness = new Harness(journald: true);
        harness.Write(LogLevel.Debug);
        harness.MinimumLevel = LogLevel.Debug;
        harness.Write(LogLevel.Debug);

        Assert.Equal("<7>dbug: proxy[3003] POST /v1/chat/completions llama 200 284 B 12.3 ms", Assert.Single(harness.Lines()));
    }

    [Fact]
    public void BytesOutsidePrintableAscii_ShowAsQuestionMarks()
    {
        using var harness = new Harness(journald: true);
        harness.Write(LogLevel.Information, "/v1/\u00e9\u0001x");

        Assert.Equal("<6>info: proxy[3003] POST /v1/??x llama 200 284 B 12.3 ms", Assert.Single(harness.Lines()));
    }

    [Fact]
    public void EveryLine_ReachesTheTap_AsItsMessageAlone()
    {
        using var harness = new Harness();
        for (var i = 0; i < 500; i++)
            harness.Write(LogLevel.Information, "/v1/" + i);

        Assert.Equal(500, harness.Lines().Length);
        var tapped = harness.Tapped.ToArray();
        Assert.Equal(500, tapped.Length);
        Assert.All(tapped, t => Assert.Equal((LogLevel.Information, AccessLog.Category), (t.Level, t.Category)));
        Assert.Equal("POST /v1/499 llama 200 284 B 12.3 ms", tapped[^1].Message);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"POST /v1/{i} "), tapped.Select(t => t.Message[..(t.Message.IndexOf(" llama", StringComparison.Ordinal) + 1)]));
    }

    [Fact]
    public void Write_OnceWarm_AllocatesNothingOnTheRequestThread()
    {
        // A long coalescing wait keeps the writer thread (whose strings for the tap are allocated on it) out of the way.
        using var harness = new Harness(coalesce: TimeSpan.FromSeconds(30));
        var path = "/v1/chat/completions"u8.ToArray();
        harness.Log.Write(LogLevel.Information, "POST"u8, path, "llama", 200, 284, 12.34);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
            harness.Log.Write(LogLevel.Information, "POST"u8, path, "llama", 200, 284, 12.34);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void StdoutThatDoesNotKeepUp_DropsAndCountsLines_InsteadOfGrowingWithoutEnd()
    {
        using var harness = new Harness(journald: true, coalesce: TimeSpan.FromSeconds(30));
        var path = new byte[1000];
        Array.Fill(path, (byte)'a');
        var written = 2 * LineBatchWriter.MaxPendingChars / path.Length;
        for (var i = 0; i < written; i++)
            harness.Log.Write(LogLevel.Information, "POST"u8, path, "llama", 200, 284, 12.34);

        var lines = harness.Lines();
        var kept = lines.Length - 1;
        Assert.InRange(kept * lines[0].Length, LineBatchWriter.MaxPendingChars / 2, LineBatchWriter.MaxPendingChars);
        Assert.Equal($"{written - kept} log lines dropped: stdout did not keep up", lines[^1]);
    }
}
