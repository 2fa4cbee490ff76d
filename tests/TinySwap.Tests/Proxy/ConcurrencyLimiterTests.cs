using TinySwap.Proxy;

namespace TinySwap.Tests.Proxy;

public sealed class ConcurrencyLimiterTests
{
    [Fact]
    public void TryEnter_UpToTheLimit_ThenRefuses()
    {
        var limiter = new ConcurrencyLimiter();
        var model = TestModels.Model("m") with { ConcurrencyLimit = 2 };
        Assert.True(limiter.TryEnter(model, out var first));
        Assert.True(limiter.TryEnter(model, out var second));
        Assert.False(limiter.TryEnter(model, out _));
        Assert.Equal(2, limiter.InFlight("m"));

        first.Release();
        Assert.True(limiter.TryEnter(model, out var third));
        second.Release();
        third.Release();
        Assert.Equal(0, limiter.InFlight("m"));
    }

    [Fact]
    public void TryEnter_ZeroLimit_IsUnlimitedAndUncounted()
    {
        var limiter = new ConcurrencyLimiter();
        var model = TestModels.Model("free");
        for (var i = 0; i < 1000; i++)
            Assert.True(limiter.TryEnter(model, out _));
        Assert.Equal(0, limiter.InFlight("free"));
        default(ConcurrencySlot).Release(); // a no-limit slot releases nothing
    }

    [Fact]
    public void Models_AreCountedSeparately()
    {
        var limiter = new ConcurrencyLimiter();
        var a = TestModels.Model("a") with { ConcurrencyLimit = 1 };
        var b = TestModels.Model("b") with { ConcurrencyLimit = 1 };
        Assert.True(limiter.TryEnter(a, out _));
        Assert.True(limiter.TryEnter(b, out _));
        Assert.False(limiter.TryEnter(a, out _));
    }

    [Fact]
    public void Counts_SurviveAReloadedConfigOfTheSameModel()
    {
        var limiter = new ConcurrencyLimiter();
        Assert.True(limiter.TryEnter(TestModels.Model("m") with { ConcurrencyLimit = 1 }, out var slot));
        var reloaded = TestModels.Model("m") with { ConcurrencyLimit = 1, Fingerprint = "new" };
        Assert.False(limiter.TryEnter(reloaded, out _));
        slot.Release();
        Assert.True(limiter.TryEnter(reloaded, out _));
    }

    [Fact]
    public void RetryAfter_IsConfigurable()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), new ConcurrencyLimiter().RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(3), new ConcurrencyLimiter(TimeSpan.FromSeconds(3)).RetryAfter);
    }

    [Fact]
    public async Task ConcurrentEntries_NeverExceedTheLimit()
    {
        const int limit = 3;
        var limiter = new ConcurrencyLimiter();
        var model = TestModels.Model("m") with { ConcurrencyLimit = limit };
        var inside = 0;
        var maxInside = 0;
        var granted = 0;
        using var start = new ManualResetEventSlim();

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.Wait();
            for (var i = 0; i < 20_000; i++)
            {
                if (!limiter.TryEnter(model, out var slot))
                    continue;
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref maxInside, now);
                Interlocked.Increment(ref granted);
                Interlocked.Decrement(ref inside);
                slot.Release();
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(workers);

        Assert.InRange(maxInside, 1, limit);
        Assert.True(granted > 0);
        Assert.Equal(0, limiter.InFlight("m"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
                return;
            current = seen;
        }
    }
}
