using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using TinySwap.Http.Parsing;
using TinySwap.Tests.Http.Support;

namespace TinySwap.Tests.Http;

/// <summary>
/// A body's wire bytes cut at every point (and every pair of points), fed the way the server's receive loop feeds them
/// (inline scheduling: the reader runs inside the writer's flush), read by consumers that advance the ways the proxy
/// does. Each read must either return new bytes or wait; the body must end exactly when its last byte has arrived.
/// </summary>
public sealed class BodyReaderSplitTests
{
    private const string Data = "hello world, more";
    private const string ChunkedWire = "5\r\nhello\r\n6;ext=1\r\n world\r\n6\r\n, more\r\n0\r\nTrailer: x\r\n\r\n";
    private const string Next = "GET";

    public enum Consumer
    {
        /// <summary>The forwarder, the whole-body and the multipart prefix readers: every read consumed at once.</summary>
        ConsumesAll,
        /// <summary>A scanner that needs more: examines everything, consumes nothing until the end.</summary>
        ExaminesUntilEnd,
        /// <summary>Consumes half of what it got and examines the rest.</summary>
        ConsumesHalf,
        /// <summary>Examines the final (completed) buffer without consuming, then reads it again: the same bytes come back.</summary>
        ExaminesEndTwice,
        /// <summary>The forwarder's response copy: whole-buffer reads, then whatever is already buffered (TryReadWhole).</summary>
        WholeReads,
    }

    public static TheoryData<Consumer> Consumers => new(Enum.GetValues<Consumer>());

    [Theory]
    [MemberData(nameof(Consumers))]
    public async Task ChunkedBody_EverySplit_DecodesExactly_NeverSpins(Consumer consumer)
    {
        var wire = Encoding.ASCII.GetBytes(ChunkedWire + Next);
        var bodyEnd = ChunkedWire.Length;
        for (var cut = 1; cut < wire.Length; cut++)
            await ReadAndCheckAsync(BodyFraming.Chunked, [wire[..cut], wire[cut..]], bodyEnd, consumer, $"cut {cut}");
    }

    [Theory]
    [MemberData(nameof(Consumers))]
    public async Task ChunkedBody_EveryPairOfSplits_DecodesExactly_NeverSpins(Consumer consumer)
    {
        var wire = Encoding.ASCII.GetBytes(ChunkedWire + Next);
        var bodyEnd = ChunkedWire.Length;
        for (var first = 1; first < wire.Length; first++)
        {
            for (var second = first + 1; second < wire.Length; second++)
            {
                await ReadAndCheckAsync(BodyFraming.Chunked, [wire[..first], wire[first..second], wire[second..]], bodyEnd,
                    consumer, $"cuts {first}, {second}");
            }
        }
    }

    [Fact]
    public async Task ChunkedBody_TerminalChunkAloneAfterData_Completes()
    {
        var data = Encoding.ASCII.GetBytes("5\r\nhello\r\n");
        var terminal = "0\r\n\r\n"u8.ToArray();
        await ReadAndCheckAsync(BodyFraming.Chunked, [data, terminal], data.Length + terminal.Length, Consumer.ConsumesAll,
            "terminal chunk alone", expected: "hello");
    }

    [Theory]
    [MemberData(nameof(Consumers))]
    public async Task ContentLengthBody_EverySplit_ReadsExactly_NeverSpins(Consumer consumer)
    {
        var wire = Encoding.ASCII.GetBytes(Data + Next);
        for (var cut = 1; cut < wire.Length; cut++)
            await ReadAndCheckAsync(BodyFraming.FromLength(Data.Length), [wire[..cut], wire[cut..]], Data.Length, consumer, $"cut {cut}");
    }

    /// <summary>
    /// Writes one part at a time and only when the body reader waits; fails if it still waits after every part was
    /// written (a hang) or if it re-reads bytes it examined (a spin, <see cref="SpinDetectingReader"/>).
    /// </summary>
    private static Task ReadAndCheckAsync(BodyFraming framing, byte[][] parts, int bodyEnd, Consumer consumer, string what,
        string expected = Data) =>
        // Off xUnit's synchronization context, as on the server: continuations then run inline inside the write.
        // The bound only turns a regression (a read that loops without waiting) into a failure instead of a hung suite.
        Task.Run(() => ReadAndCheckInlineAsync(framing, parts, bodyEnd, consumer, what, expected)).WaitAsync(TimeSpan.FromSeconds(30));

    private static async Task ReadAndCheckInlineAsync(BodyFraming framing, byte[][] parts, int bodyEnd, Consumer consumer, string what,
        string expected)
    {
        var pipe = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
            useSynchronizationContext: false));
        var input = new SpinDetectingReader(pipe.Reader);
        var body = new MessageBodyReader();
        body.Reset(input, framing, maxBytes: -1, maxTrailerBytes: 1024, firstReadListener: null);
        var written = 0;
        var sent = 0;
        var decoded = new List<byte>();
        var examinedEnd = false;
        while (!body.IsCompleted)
        {
            if (consumer == Consumer.WholeReads)
            {
                var whole = body.ReadWholeAsync();
                while (!whole.IsCompleted)
                {
                    Assert.True(written < parts.Length, $"{what}: the reader waits although the whole body was sent ({consumer})");
                    await pipe.Writer.WriteAsync(parts[written]);
                    sent += parts[written++].Length;
                }
                var piece = await whole;
                while (true)
                {
                    Assert.True(!piece.IsCompleted || sent >= bodyEnd, $"{what}: the body ended before its last byte arrived");
                    decoded.AddRange(piece.Buffer.ToArray());
                    body.AdvanceTo(piece.Buffer.End);
                    if (piece.IsCompleted)
                        Assert.True(body.IsCompleted, $"{what}: the last piece was consumed but the body is not complete");
                    if (piece.IsCompleted || !body.TryReadWhole(out piece))
                        break;
                }
                continue;
            }
            var pending = body.ReadAsync();
            while (!pending.IsCompleted)
            {
                Assert.True(written < parts.Length, $"{what}: the reader waits although the whole body was sent ({consumer})");
                await pipe.Writer.WriteAsync(parts[written]);
                sent += parts[written++].Length;
            }
            var read = await pending;
            Assert.True(!read.IsCompleted || sent >= bodyEnd, $"{what}: the body ended before its last byte arrived");
            var consumeAll = consumer switch
            {
                Consumer.ExaminesUntilEnd => read.IsCompleted,
                Consumer.ConsumesHalf => read.IsCompleted || read.Buffer.Length < 2,
                Consumer.ExaminesEndTwice => read.IsCompleted && examinedEnd,
                _ => true,
            };
            examinedEnd |= read.IsCompleted;
            var consumed = consumeAll ? read.Buffer.End : read.Buffer.GetPosition(consumer == Consumer.ConsumesHalf ? read.Buffer.Length / 2 : 0);
            decoded.AddRange(read.Buffer.Slice(0, consumed).ToArray());
            body.AdvanceTo(consumed, read.Buffer.End);
        }
        Assert.Equal(expected, Encoding.ASCII.GetString(decoded.ToArray()));
        Assert.True(sent >= bodyEnd, $"{what}: the body completed before its last byte arrived");

        // What follows the body stays on the connection for the next message.
        while (written < parts.Length)
            await pipe.Writer.WriteAsync(parts[written++]);
        await pipe.Writer.CompleteAsync();
        var rest = await pipe.Reader.ReadAsync();
        Assert.Equal(Encoding.ASCII.GetString(parts.SelectMany(p => p).ToArray())[bodyEnd..], Encoding.ASCII.GetString(rest.Buffer.ToArray()));
    }
}
