using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using TinySwap.Http.Parsing;
using TinySwap.Tests.Http.Support;

namespace TinySwap.Tests.Http;

/// <summary>
/// The whole-buffer read mode (the forwarder's response copy): the chunk data of a connection read comes out as one
/// buffer of slices of the connection's buffer, what is already buffered without waiting, and every error exactly as
/// the copying mode reports it.
/// </summary>
public sealed class WholeBodyReadTests
{
    private readonly Pipe _pipe = new(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
        useSynchronizationContext: false));
    private readonly SpinDetectingReader _input;
    private readonly MessageBodyReader _body = new();

    public WholeBodyReadTests()
    {
        _input = new SpinDetectingReader(_pipe.Reader);
        _body.Reset(_input, BodyFraming.Chunked, maxBytes: -1, maxTrailerBytes: 1024, firstReadListener: null);
    }

    [Fact]
    public async Task SeveralChunksInOneRead_OneBuffer_EverySegmentASliceOfThatRead()
    {
        await WriteAsync("5\r\nhello\r\n6\r\n world\r\n1\r\n!\r\n");
        var read = await _body.ReadWholeAsync();
        Assert.Equal("hello world!", Text(read));
        Assert.False(read.IsCompleted);
        var input = _input.LastBuffer.First.Span;
        var segments = 0;
        foreach (var segment in read.Buffer)
        {
            Assert.True(input.Overlaps(segment.Span), "chunk data was copied");
            segments++;
        }
        Assert.Equal(3, segments);
        _body.AdvanceTo(read.Buffer.End);
        Assert.Equal(12, _body.BytesConsumed);
        Assert.False(_body.TryReadWhole(out _));
        Assert.Equal(1, _input.Reads);

        await WriteAsync("2\r\n!!\r\n");
        Assert.True(_body.TryReadWhole(out var next));
        Assert.Equal("!!", Text(next));
    }

    [Fact]
    public async Task ChunkHeaderSplitAcrossReads_WaitsForTheRest_ThenHandsOutTheData()
    {
        await WriteAsync("5\r");
        var pending = _body.ReadWholeAsync();
        Assert.False(pending.IsCompleted);
        await WriteAsync("\nhello\r\n");
        var read = await pending;
        Assert.Equal("hello", Text(read));
        Assert.False(read.IsCompleted);
    }

    [Fact]
    public async Task DataSplitAcrossReads_EachPartHandedOutAsItArrives()
    {
        await WriteAsync("5\r\nhel");
        var first = await _body.ReadWholeAsync();
        Assert.Equal("hel", Text(first));
        _body.AdvanceTo(first.Buffer.End);
        Assert.False(_body.TryReadWhole(out _));

        await WriteAsync("lo\r\n0\r\n\r\n");
        Assert.True(_body.TryReadWhole(out var second));
        Assert.Equal("lo", Text(second));
        Assert.True(second.IsCompleted);
        Assert.False(_body.IsCompleted);
        _body.AdvanceTo(second.Buffer.End);
        Assert.True(_body.IsCompleted);
    }

    [Fact]
    public async Task LastChunkAndTrailersSplit_DataFirst_EndWhenTheTrailersAreWhole_NextMessageLeftOnTheConnection()
    {
        await WriteAsync("5\r\nhello\r\n0\r\nTrai");
        var data = await _body.ReadWholeAsync();
        Assert.Equal("hello", Text(data));
        Assert.False(data.IsCompleted);
        _body.AdvanceTo(data.Buffer.End);
        Assert.False(_body.TryReadWhole(out _));

        var pending = _body.ReadWholeAsync();
        Assert.False(pending.IsCompleted);
        await WriteAsync("ler: x\r\n");
        Assert.False(pending.IsCompleted);
        await WriteAsync("\r\nGET");
        var end = await pending;
        Assert.True(end.IsCompleted);
        Assert.True(end.Buffer.IsEmpty);
        Assert.True(_body.IsCompleted);

        var rest = await _pipe.Reader.ReadAsync();
        Assert.Equal("GET", Encoding.ASCII.GetString(rest.Buffer.ToArray()));
    }

    [Fact]
    public async Task BodyCompleteInTheSameRead_ItsDataCarriesTheEnd()
    {
        await WriteAsync("3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n");
        var read = await _body.ReadWholeAsync();
        Assert.Equal("abcdef", Text(read));
        Assert.True(read.IsCompleted);
        Assert.False(_body.IsCompleted);
        _body.AdvanceTo(read.Buffer.End);
        Assert.True(_body.IsCompleted);
    }

    [Fact]
    public async Task BufferNotConsumedWhole_Refused()
    {
        await WriteAsync("5\r\nhello\r\n");
        var read = await _body.ReadWholeAsync();
        Assert.Throws<InvalidOperationException>(() => _body.AdvanceTo(read.Buffer.Start));
    }

    [Fact]
    public async Task ModesMixedOnOneBody_Refused()
    {
        await WriteAsync("5\r\nhello\r\n5\r\nworld\r\n");
        var read = await _body.ReadWholeAsync();
        _body.AdvanceTo(read.Buffer.End);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await _body.ReadAsync());
    }

    public static TheoryData<string, long, int> Malformed => new()
    {
        { "5\r\nhello\r\nzz\r\n", -1, 1024 },
        { "5\r\nhelloXY", -1, 1024 },
        { "5\r\nhello\r\n5 \r\nworld\r\n0\r\n\r\n", -1, 1024 },
        { "5\r\nhello\r\n5;\u0001\r\nworld\r\n", -1, 1024 },
        { "5\r\nhello\r\n5\r\nwor", -1, 1024 },
        { "5\r\nhello\r\n0\r\n", -1, 1024 },
        { "5\r\nhello\r\n0\r\nX-Long: " + new string('a', 64) + "\r\n\r\n", -1, 32 },
        { "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", 8, 1024 },
        { new string('1', 1100) + "\r\n", -1, 1024 },
    };

    /// <summary>Truncated bodies, bad sizes, terminators, extensions, trailers and limits: the same data, then the same error.</summary>
    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task MalformedOrTruncated_SameDataAndErrorAsTheCopyingMode(string wire, long maxBytes, int maxTrailerBytes)
    {
        foreach (var oneBytePerRead in new[] { false, true })
        {
            var copying = await DecodeAsync(wire, maxBytes, maxTrailerBytes, whole: false, oneBytePerRead);
            var whole = await DecodeAsync(wire, maxBytes, maxTrailerBytes, whole: true, oneBytePerRead);
            Assert.NotEqual(HttpRejection.None, copying.Error);
            Assert.Equal(copying, whole);
        }
    }

    private static async Task<(string Data, HttpRejection Error)> DecodeAsync(string wire, long maxBytes, int maxTrailerBytes, bool whole,
        bool oneBytePerRead)
    {
        var bytes = Encoding.Latin1.GetBytes(wire);
        var input = new DripReader(oneBytePerRead ? bytes.Select(b => new[] { b }).ToArray() : [bytes]);
        var body = new MessageBodyReader();
        body.Reset(input, BodyFraming.Chunked, maxBytes, maxTrailerBytes, firstReadListener: null);
        var data = new StringBuilder();
        try
        {
            while (!body.IsCompleted)
            {
                var read = whole ? await body.ReadWholeAsync() : await body.ReadAsync();
                data.Append(Encoding.Latin1.GetString(read.Buffer.ToArray()));
                body.AdvanceTo(read.Buffer.End);
            }
            return (data.ToString(), HttpRejection.None);
        }
        catch (HttpRejectedException ex)
        {
            return (data.ToString(), ex.Reason);
        }
    }

    /// <summary>
    /// Hands the wire over one part per connection read, the next part only once the reader has examined everything
    /// before it: both modes see the same read boundaries on every run (a writer racing the reader could merge parts).
    /// </summary>
    private sealed class DripReader(byte[][] parts) : PipeReader
    {
        private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        private int _next;
        private bool _needMore = true;
        private ReadOnlySequence<byte> _last;

        public override bool TryRead(out ReadResult result)
        {
            result = default;
            if (_needMore || !_pipe.Reader.TryRead(out result))
                return false;
            _last = result.Buffer;
            return true;
        }

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            if (_needMore)
            {
                if (_next < parts.Length)
                    _pipe.Writer.Write(parts[_next++]);
                if (_next == parts.Length)
                    _pipe.Writer.Complete();
                else
                    _ = _pipe.Writer.FlushAsync(cancellationToken);
                _needMore = false;
            }
            Assert.True(_pipe.Reader.TryRead(out var result));
            _last = result.Buffer;
            return new(result);
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            _needMore = _last.Slice(examined).IsEmpty;
            _pipe.Reader.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => _pipe.Reader.CancelPendingRead();

        public override void Complete(Exception? exception = null) => _pipe.Reader.Complete(exception);
    }

    private async Task WriteAsync(string text) => await _pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(text));

    private static string Text(BodyReadResult read) => Encoding.ASCII.GetString(read.Buffer.ToArray());
}
