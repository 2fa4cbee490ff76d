using System.Text;
using Microsoft.Extensions.Logging;
using TinySwap.Api.Logs;

namespace TinySwap.Tests.Api;

public sealed class LogBookTests
{
    [Fact]
    public void AddOwn_PlainEvent_IsStoredAsOwnLogLineFormatsIt()
    {
        var logs = new LogBook(64 * 1024);
        string? published = null;
        logs.LineAdded = (model, line) => published = line.ToString();

        logs.AddOwn(LogLevel.Information, "proxy", "POST /v1/chat/completions llama 200 284 B 0.4 ms".AsSpan(), null);

        var line = logs.OwnHistory().TrimEnd('\n');
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info proxy: POST /v1/chat/completions llama 200 284 B 0\.4 ms$", line);
        Assert.Equal(line, published);
        Assert.Equal(line + "\n", logs.History(null));
    }

    [Fact]
    public void AddOwn_MultiLineMessageOrException_StaysOneLine()
    {
        var logs = new LogBook(64 * 1024);

        logs.AddOwn(LogLevel.Warning, "router", "first\r\nsecond".AsSpan(), null);
        logs.AddOwn(LogLevel.Error, "http", "failed".AsSpan(), new InvalidOperationException("boom"));

        var lines = logs.OwnHistory().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(" warn router: first | second", lines[0]);
        Assert.EndsWith(" error http: failed InvalidOperationException: boom", lines[1]);
    }

    [Fact]
    public void AddOwn_MessageLongerThanTheStackLine_IsStoredWhole()
    {
        var logs = new LogBook(64 * 1024);
        var message = "GET /" + new string('p', 3000);

        logs.AddOwn(LogLevel.Information, "proxy", message.AsSpan(), null);

        Assert.EndsWith(" info proxy: " + message + "\n", logs.OwnHistory());
    }

    [Fact]
    public void AddOwn_PlainEvent_AllocatesNothingWhileNobodyFollows()
    {
        var logs = new LogBook(16 * 1024);
        var message = "POST /v1/chat/completions llama 200 284 B 0.4 ms".AsSpan();
        for (var i = 0; i < 1_000; i++)
            logs.AddOwn(LogLevel.Information, "proxy", message, null);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
            logs.AddOwn(LogLevel.Information, "proxy", message, null);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Follower_GetsEachOwnLineWithItsNewline()
    {
        var logs = new LogBook(64 * 1024);
        using var follower = logs.Follow(null);

        logs.AddOwn(LogLevel.Information, "proxy", "GET /health - 200 2 B 0.1 ms".AsSpan(), null);

        Assert.True(follower.Messages.TryRead(out var bytes));
        Assert.EndsWith(" info proxy: GET /health - 200 2 B 0.1 ms\n", Encoding.UTF8.GetString(bytes));
    }
}
