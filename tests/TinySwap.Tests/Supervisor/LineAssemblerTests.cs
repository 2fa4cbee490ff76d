using System.Text;
using TinySwap.Supervisor;

namespace TinySwap.Tests.Supervisor;

public sealed class LineAssemblerTests
{
    [Fact]
    public void Feed_SplitsOnNewlines_AcrossChunks_DroppingCarriageReturns()
    {
        var lines = new List<string>();
        var assembler = new LineAssembler();

        assembler.Feed("first\r\nsec"u8, lines.Add);
        assembler.Feed("ond\nthi"u8, lines.Add);
        assembler.Flush(lines.Add);

        Assert.Equal(["first", "second", "thi"], lines);
    }

    [Fact]
    public void Feed_OverlongLine_IsSplitAtTheLimit()
    {
        var lines = new List<string>();
        var assembler = new LineAssembler();

        assembler.Feed(Encoding.ASCII.GetBytes(new string('x', LineAssembler.MaxLineBytes + 10) + "\n"), lines.Add);

        Assert.Equal([LineAssembler.MaxLineBytes, 10], lines.Select(l => l.Length));
    }

    [Fact]
    public void OutputRing_KeepsTheNewestLinesWithinItsCapacity()
    {
        var ring = new OutputRing(capacityChars: 100);
        for (var i = 0; i < 100; i++)
            ring.Add(i % 2 == 0 ? OutputStream.Stdout : OutputStream.Stderr, $"line {i:00}");

        var kept = ring.Last(1000);
        Assert.Equal("line 99", kept[^1]);
        Assert.True(kept.Sum(l => l.Length + 1) <= 100);
        Assert.Equal(["line 97", "line 99"], ring.Last(2, OutputStream.Stderr));
    }
}
