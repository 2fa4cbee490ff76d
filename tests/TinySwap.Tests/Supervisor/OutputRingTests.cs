using TinySwap.Supervisor;

namespace TinySwap.Tests.Supervisor;

/// <summary>The ring keeps text in one circular buffer: lines must come back whole and in order however they wrap.</summary>
public sealed class OutputRingTests
{
    [Fact]
    public void ManyLinesOfUnevenLength_TheNewestComeBackWholeAndInOrder()
    {
        var ring = new OutputRing(capacityChars: 10_000);
        var added = new List<string>();
        for (var i = 0; i < 5_000; i++)
        {
            var line = $"{i}:" + new string((char)('a' + i % 26), i * 7 % 301);
            added.Add(line);
            ring.Add(OutputStream.Stdout, line);
        }

        var kept = ring.Last(int.MaxValue);
        Assert.Equal(added.TakeLast(kept.Count), kept);
        Assert.True(kept.Sum(l => l.Length + 1) <= 10_000);
        // Nothing that fitted was dropped early: one more line would not have fitted.
        Assert.True(kept.Sum(l => l.Length + 1) + added[^(kept.Count + 1)].Length + 1 > 10_000);
    }

    [Fact]
    public void ALineLongerThanTheCapacity_IsKeptAlone()
    {
        var ring = new OutputRing(capacityChars: 100);
        ring.Add(OutputStream.Stdout, "short");
        var longLine = new string('x', 250);

        ring.Add(OutputStream.Stderr, longLine);
        Assert.Equal([longLine], ring.Last(10));

        ring.Add(OutputStream.Stdout, "next");
        Assert.Equal(["next"], ring.Last(10));
    }

    [Fact]
    public void Since_ReturnsOnlyLinesAddedAfterTheMark_EvenAfterWrapping()
    {
        var ring = new OutputRing(capacityChars: 64);
        for (var i = 0; i < 20; i++)
            ring.Add(OutputStream.Stdout, $"old {i}");
        var mark = ring.Mark;
        ring.Add(OutputStream.Stdout, "new 1");
        ring.Add(OutputStream.Stderr, "new 2");

        Assert.Equal(22, ring.Mark);
        Assert.Equal(["new 1", "new 2"], ring.Last(10, since: mark));
        Assert.Equal(["new 2"], ring.Last(10, OutputStream.Stderr, mark));
    }

    [Fact]
    public void AnEmptyLine_ComesBackEmpty()
    {
        var ring = new OutputRing(capacityChars: 10);
        ring.Add(OutputStream.Stdout, "");

        Assert.Equal([""], ring.Last(10));
    }

    [Fact]
    public void Add_OnceGrownToItsCapacity_AllocatesNothing()
    {
        var ring = new OutputRing(capacityChars: 4_096);
        var line = "2026-01-31T12:00:00.123Z info proxy: POST /v1/chat/completions llama 200 284 B 0.4 ms".AsSpan();
        for (var i = 0; i < 1_000; i++)
            ring.Add(OutputStream.Stdout, line);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
            ring.Add(OutputStream.Stdout, line);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
