using TinySwap.Http.Server;

namespace TinySwap.Tests.Http;

/// <summary>The refused-connection warning: one line a second at most, each with the count since the last line.</summary>
public sealed class LogRateLimiterTests
{
    [Fact]
    public void FirstOccurrence_LoggedAtOnce_CountOne() =>
        Assert.Equal(1, new LogRateLimiter(TimeSpan.FromSeconds(1)).Record(nowMs: 5_000));

    [Fact]
    public void FloodWithinOneSecond_HeldBack_ThenReportedWithItsCount()
    {
        var limiter = new LogRateLimiter(TimeSpan.FromSeconds(1));
        Assert.Equal(1, limiter.Record(0));
        for (var ms = 1; ms < 1000; ms++)
            Assert.Equal(0, limiter.Record(ms));
        // The 999 held back plus this one.
        Assert.Equal(1000, limiter.Record(1000));
        Assert.Equal(0, limiter.Record(1999));
        Assert.Equal(2, limiter.Record(2000));
    }

    [Fact]
    public void SparseOccurrences_EachLogged_CountOne()
    {
        var limiter = new LogRateLimiter(TimeSpan.FromSeconds(1));
        Assert.Equal(1, limiter.Record(0));
        Assert.Equal(1, limiter.Record(1000));
        Assert.Equal(1, limiter.Record(60_000));
    }

    [Fact]
    public void ClockStartingNegative_FirstStillLogged() =>
        Assert.Equal(1, new LogRateLimiter(TimeSpan.FromSeconds(1)).Record(long.MinValue / 2));
}
