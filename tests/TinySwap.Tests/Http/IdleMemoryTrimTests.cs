using TinySwap.Http.Server;

namespace TinySwap.Tests.Http;

/// <summary>The idle trim, driven tick by tick with a scripted allocation counter.</summary>
public sealed class IdleMemoryTrimTests
{
    private const long Busy = IdleMemoryTrim.TrimAfterBytes;
    private const long Trickle = IdleMemoryTrim.QuietBytesPerTick / 4;

    private sealed class Script
    {
        public long Allocated;
        public int Collections;
        public IdleMemoryTrim Trim { get; }

        public Script() => Trim = new IdleMemoryTrim(() => Allocated, () => Collections++);

        /// <summary>One heartbeat after <paramref name="bytes"/> more were allocated.</summary>
        public void Tick(long bytes)
        {
            Allocated += bytes;
            Trim.OnHeartbeat(0);
        }
    }

    [Fact]
    public void BusyThenQuiet_TrimsOnceAfterTheQuietTicks()
    {
        var script = new Script();
        script.Tick(Busy);
        for (var i = 1; i < IdleMemoryTrim.QuietTicks; i++)
            script.Tick(Trickle);
        Assert.Equal(0, script.Collections);

        script.Tick(Trickle);
        Assert.Equal(1, script.Collections);

        for (var i = 0; i < 10; i++)
            script.Tick(Trickle);
        Assert.Equal(1, script.Collections);
    }

    [Fact]
    public void StillBusy_NeverTrims()
    {
        var script = new Script();
        for (var i = 0; i < 20; i++)
            script.Tick(IdleMemoryTrim.QuietBytesPerTick);
        Assert.Equal(0, script.Collections);
    }

    [Fact]
    public void QuietWithoutABusyPeriod_NeverTrims()
    {
        var script = new Script();
        const int ticks = 100;
        Assert.True(ticks * Trickle < IdleMemoryTrim.TrimAfterBytes);
        for (var i = 0; i < ticks; i++)
            script.Tick(Trickle);
        Assert.Equal(0, script.Collections);
    }

    [Fact]
    public void SecondBusyPeriod_TrimsAgain()
    {
        var script = new Script();
        script.Tick(Busy);
        for (var i = 0; i < IdleMemoryTrim.QuietTicks; i++)
            script.Tick(0);
        script.Tick(Busy);
        for (var i = 0; i < IdleMemoryTrim.QuietTicks; i++)
            script.Tick(0);
        Assert.Equal(2, script.Collections);
    }
}
