using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using TinySwap.Http.Parsing;
using TinySwap.Http.Server;
using TinySwap.Http.Upstream;
using TinySwap.Tests.Http.Support;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Http;

/// <summary>The parsers on every split of valid input: every prefix says "need more", every segmentation parses the same.</summary>
public sealed class ParserTests
{
    private const string Request =
        "POST /v1/chat/completions?stream=true HTTP/1.1\r\nHost: localhost:8080\r\nContent-Type: application/json\r\n" +
        "X-Spaces:   padded value \t\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\nConnection: keep-alive\r\n\r\n";

    private const string Response =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nX-Empty:\r\n\r\n";

    private const string ChunkedBody =
        "5;ext=\"a;b\"\r\nhello\r\n1\r\n \r\n000000B; x = y\r\nworld, more\r\n0\r\nTrailer-A: 1\r\nContent-Length: 5\r\n\r\n";

    private static (bool Done, long Consumed) ParseRequest(ReadOnlySequence<byte> input, RequestHead head, ref RequestHeadParseState state)
    {
        var reader = new SequenceReader<byte>(input);
        var done = RequestHeadParser.TryParse(ref reader, head, ref state, 8192);
        return (done, reader.Consumed);
    }

    private static void AssertRequestHead(RequestHead head)
    {
        Assert.Equal("POST", Encoding.ASCII.GetString(head.Method));
        Assert.Equal("/v1/chat/completions?stream=true", Encoding.ASCII.GetString(head.Target));
        Assert.Equal("/v1/chat/completions", Encoding.ASCII.GetString(head.Path));
        Assert.Equal("stream=true", Encoding.ASCII.GetString(head.Query));
        Assert.Equal(HttpVersion.Http11, head.Version);
        Assert.Equal(6, head.HeaderCount);
        Assert.True(head.TryGetHeader("x-spaces"u8, out var padded));
        Assert.Equal("padded value", Encoding.ASCII.GetString(padded));
        Assert.True(head.TryGetHeader("HOST"u8, out var host));
        Assert.Equal("localhost:8080", Encoding.ASCII.GetString(host));
        Assert.Equal(BodyKind.Chunked, head.BodyFraming.Kind);
        Assert.True(head.ExpectsContinue);
        Assert.True(head.KeepAliveRequested);
    }

    [Fact]
    public void RequestHead_EveryPrefix_NeedsMore_ThenResumesToTheSameResult()
    {
        var bytes = Encoding.ASCII.GetBytes(Request);
        for (var length = 0; length < bytes.Length; length++)
        {
            var head = new RequestHead(100);
            var state = RequestHeadParseState.Start(32 * 1024);
            var (done, consumed) = ParseRequest(new ReadOnlySequence<byte>(bytes, 0, length), head, ref state);
            Assert.False(done, $"prefix of {length} bytes parsed as complete");
            // Resume the way the connection does: from the first unconsumed byte, with the whole input now.
            (done, _) = ParseRequest(new ReadOnlySequence<byte>(bytes, (int)consumed, bytes.Length - (int)consumed), head, ref state);
            Assert.True(done, $"resuming after a prefix of {length} bytes");
            AssertRequestHead(head);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void RequestHead_SplitIntoSegments_ParsesTheSame(int segmentSize)
    {
        var head = new RequestHead(100);
        var state = RequestHeadParseState.Start(32 * 1024);
        var (done, consumed) = ParseRequest(Sequences.Chunked(Encoding.ASCII.GetBytes(Request), segmentSize), head, ref state);
        Assert.True(done);
        Assert.Equal(Request.Length, consumed);
        AssertRequestHead(head);
    }

    [Fact]
    public void ResponseHead_EveryPrefixAndOneBytePerSegment()
    {
        var bytes = Encoding.ASCII.GetBytes(Response);
        for (var length = 0; length <= bytes.Length; length++)
        {
            var head = new ResponseHead(100);
            var parsingFields = false;
            var budget = 64 * 1024;
            var reader = new SequenceReader<byte>(Sequences.OneBytePerSegment(bytes.AsSpan(0, length)));
            var done = ResponseHeadParser.TryParse(ref reader, head, ref parsingFields, ref budget, 8192, requestWasHead: false);
            Assert.Equal(length == bytes.Length, done);
            if (!done)
                continue;
            Assert.Equal(200, head.StatusCode);
            Assert.Equal(BodyKind.Chunked, head.BodyFraming.Kind);
            Assert.True(head.KeepAlive);
            Assert.True(head.TryGetHeader("x-empty"u8, out var empty) && empty.IsEmpty);
        }
    }

    [Fact]
    public async Task ChunkedBody_OneBytePerRead_DecodesExactly_AndLeavesNextMessage()
    {
        var pipe = new Pipe();
        var body = new MessageBodyReader();
        body.Reset(pipe.Reader, BodyFraming.Chunked, maxBytes: -1, maxTrailerBytes: 1024, firstReadListener: null);
        var wire = Encoding.ASCII.GetBytes(ChunkedBody + "NEXT");
        var writer = Task.Run(async () =>
        {
            foreach (var b in wire)
            {
                await pipe.Writer.WriteAsync(new[] { b });
            }
        });
        var decoded = new List<byte>();
        while (!body.IsCompleted)
        {
            var read = await body.ReadAsync();
            decoded.AddRange(read.Buffer.ToArray());
            body.AdvanceTo(read.Buffer.End);
        }
        await writer;
        Assert.Equal("hello world, more", Encoding.ASCII.GetString(decoded.ToArray()));
        var rest = await pipe.Reader.ReadAsync();
        Assert.Equal("NEXT", Encoding.ASCII.GetString(rest.Buffer.ToArray()));
    }

    [Fact]
    public async Task ChunkedBody_ReaderThatExaminesWithoutConsuming_SeesLaterChunksAppended()
    {
        var pipe = new Pipe();
        var body = new MessageBodyReader();
        body.Reset(pipe.Reader, BodyFraming.Chunked, maxBytes: -1, maxTrailerBytes: 1024, firstReadListener: null);
        await pipe.Writer.WriteAsync("3\r\nabc\r\n"u8.ToArray());
        var first = await body.ReadAsync();
        Assert.Equal("abc", Encoding.ASCII.GetString(first.Buffer.ToArray()));
        body.AdvanceTo(first.Buffer.Start, first.Buffer.End);
        await pipe.Writer.WriteAsync("3\r\ndef\r\n0\r\n\r\n"u8.ToArray());
        var second = await body.ReadAsync();
        Assert.Equal("abcdef", Encoding.ASCII.GetString(second.Buffer.ToArray()));
        Assert.True(second.IsCompleted);
        body.AdvanceTo(second.Buffer.End);
        Assert.True(body.IsCompleted);
    }

    [Fact]
    public async Task ContentLengthBody_StopsAtItsLength_ZeroCopySlices()
    {
        var pipe = new Pipe();
        var body = new MessageBodyReader();
        body.Reset(pipe.Reader, BodyFraming.FromLength(5), maxBytes: -1, maxTrailerBytes: 0, firstReadListener: null);
        await pipe.Writer.WriteAsync("helloGET"u8.ToArray());
        var read = await body.ReadAsync();
        Assert.True(read.IsCompleted);
        Assert.Equal("hello", Encoding.ASCII.GetString(read.Buffer.ToArray()));
        body.AdvanceTo(read.Buffer.End);
        Assert.True(body.IsCompleted);
        var rest = await pipe.Reader.ReadAsync();
        Assert.Equal("GET", Encoding.ASCII.GetString(rest.Buffer.ToArray()));
    }

    [Fact]
    public async Task ContentLengthBody_EndOfInputEarly_Rejected()
    {
        var pipe = new Pipe();
        var body = new MessageBodyReader();
        body.Reset(pipe.Reader, BodyFraming.FromLength(5), maxBytes: -1, maxTrailerBytes: 0, firstReadListener: null);
        await pipe.Writer.WriteAsync("hel"u8.ToArray());
        await pipe.Writer.CompleteAsync();
        var error = await Assert.ThrowsAsync<HttpRejectedException>(async () => await body.ReadAsync());
        Assert.Equal(HttpRejection.UnexpectedEndOfBody, error.Reason);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("7", 7L)]
    [InlineData("0007", 7L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void ContentLength_Valid(string text, long expected)
    {
        Assert.True(FramingHeaders.TryParseContentLength(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData("0x10")]
    [InlineData("1 2")]
    [InlineData(" 1")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999")]
    public void ContentLength_Invalid(string text) =>
        Assert.False(FramingHeaders.TryParseContentLength(Encoding.ASCII.GetBytes(text), out _));

    [Theory]
    [InlineData("a", 10L)]
    [InlineData("A;x", 10L)]
    [InlineData("10; a = \"q\\\"x\"; b", 16L)]
    [InlineData("7fffffffffffffff", long.MaxValue)]
    public void ChunkSizeLine_Valid(string line, long expected) =>
        Assert.Equal(expected, ChunkedFraming.ParseSizeLine(Encoding.ASCII.GetBytes(line)));

    [Theory]
    [InlineData("", "InvalidChunkSize")]
    [InlineData("g", "InvalidChunkSize")]
    [InlineData("10000000000000000", "InvalidChunkSize")]
    [InlineData("5;", "InvalidChunkExtension")]
    [InlineData("5;=x", "InvalidChunkExtension")]
    [InlineData("5;a=", "InvalidChunkExtension")]
    [InlineData("5;a=\"x", "InvalidChunkExtension")]
    [InlineData("5;a=b c", "InvalidChunkExtension")]
    [InlineData("5;a\u0001", "InvalidChunkExtension")]
    [InlineData("5 x", "InvalidChunkSize")]
    [InlineData("5 ", "InvalidChunkSize")]
    [InlineData("5\t", "InvalidChunkSize")]
    [InlineData("5 ;a", "InvalidChunkSize")]
    [InlineData("5\t;a", "InvalidChunkSize")]
    [InlineData("5;a ", "InvalidChunkExtension")]
    [InlineData("5;a=b ", "InvalidChunkExtension")]
    [InlineData("5;a ;b", "InvalidChunkExtension")]
    [InlineData("+5", "InvalidChunkSize")]
    [InlineData("-5", "InvalidChunkSize")]
    public void ChunkSizeLine_Invalid(string line, string reason)
    {
        var error = Assert.Throws<HttpRejectedException>(() => ChunkedFraming.ParseSizeLine(Encoding.Latin1.GetBytes(line)));
        Assert.Equal(reason, error.Reason.ToString());
    }
}
