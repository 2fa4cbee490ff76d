using System.Diagnostics;
using TinySwap.Contracts;
using TinySwap.Systemd;

namespace TinySwap.Tests.Systemd;

public sealed class NotifySocketTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/socket")]
    [InlineData("@")]
    public void Open_NotAnAbsolutePathOrAbstractName_IsNull(string? address) => Assert.Null(NotifySocket.Open(address));

    [Fact]
    public async Task Send_ToAnAbstractName_ArrivesAsOneDatagram()
    {
        using var listener = NotifyListener.Abstract();
        using var socket = NotifySocket.Open(listener.Address)!;

        Assert.True(socket.Send("READY=1\nSTATUS=hello"));

        Assert.Equal("READY=1\nSTATUS=hello", await listener.ReceiveAsync(Bound));
    }

    [Fact]
    public async Task Send_ToAPath_ArrivesAsOneDatagram()
    {
        using var listener = NotifyListener.AtPath();
        using var socket = NotifySocket.Open(listener.Address)!;

        Assert.True(socket.Send("STOPPING=1"));

        Assert.Equal("STOPPING=1", await listener.ReceiveAsync(Bound));
    }

    [Fact]
    public void Send_NobodyListening_ReturnsFalse()
    {
        using var socket = NotifySocket.Open("@tinyswap-test-nobody-" + Guid.NewGuid().ToString("N"))!;
        Assert.False(socket.Send("READY=1"));
    }

    [Fact]
    public void Reloading_CarriesTheMonotonicClockInMicroseconds()
    {
        var message = NotifyMessages.Reloading(Stopwatch.Frequency * 3);
        Assert.Equal("RELOADING=1", NotifyListener.Lines(message)[0]);
        Assert.Contains("MONOTONIC_USEC=3000000", NotifyListener.Lines(message));
    }

    [Fact]
    public void Status_NamesTheLoadedModelsOnly()
    {
        ModelStatus[] models =
        [
            new("a", ModelState.Ready, 10, 0, 0, null),
            new("b", ModelState.Stopped, null, 0, 0, null),
            new("c", ModelState.Sleeping, 11, 0, 0, null),
        ];
        Assert.Equal("serving, loaded: a, c (asleep) (3 configured)", NotifyMessages.Status(models));
        Assert.Equal("serving, no model loaded (1 configured)", NotifyMessages.Status([models[1]]));
    }

    [Theory]
    [InlineData("2000000", null, 1000.0)]
    [InlineData("2000000", "4242", 1000.0)]
    [InlineData("500", "", 0.25)]
    public void WatchdogInterval_IsHalfOfWatchdogUsec(string usec, string? pid, double expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), WatchdogInterval.Parse(usec, pid, ourPid: 4242));

    [Theory]
    [InlineData(null, null)]
    [InlineData("0", null)]
    [InlineData("abc", null)]
    [InlineData("2000000", "4243")]
    [InlineData("2000000", "x")]
    public void WatchdogInterval_NoneOrForAnotherProcess_IsNull(string? usec, string? pid) =>
        Assert.Null(WatchdogInterval.Parse(usec, pid, ourPid: 4242));
}
