using System.Globalization;
using System.Text;
using TinySwap.Proxy;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Proxy.Security;

/// <summary>A file-first multipart body that spills to disk reaches the model byte for byte, spliced for useModelName.</summary>
public sealed class SpilledUploadForwardingTests
{
    private const string Boundary = "spill-b0undary";

    [Theory]
    [InlineData(false, BodySpill.MemoryBytes * 4 + 321)]  // spilled
    [InlineData(false, 1000)]                             // held in memory
    [InlineData(true, 1000)]
    public Task FileBeforeModel_WithUseModelName_ArrivesSpliced(bool chunked, int fileBytes) => SendAndCheckAsync(chunked, fileBytes);

    /// <summary>
    /// Regression: a chunked file-first form larger than one read used to stall after the model was found — the body
    /// reader's first read after the prefix looped without waiting once the chunked framing was complete.
    /// </summary>
    [Theory]
    [InlineData(true, 50_000)]
    [InlineData(true, BodySpill.MemoryBytes * 4 + 321)]
    [InlineData(true, 1 << 20)]
    public Task ChunkedFileBeforeModel_LargerThanOneRead_ArrivesSpliced(bool chunked, int fileBytes) => SendAndCheckAsync(chunked, fileBytes);

    [Theory]
    [InlineData(50_000)]
    [InlineData(1 << 20)]
    public Task ChunkedFileBeforeModel_WithExpectContinue_ArrivesSpliced(int fileBytes) => SendAndCheckAsync(true, fileBytes, expectContinue: true);

    [Theory]
    [InlineData(50_000)]
    [InlineData(1 << 20)]
    public Task ChunkedModelBeforeFile_LargerThanOneRead_ArrivesSpliced(int fileBytes) => SendAndCheckAsync(true, fileBytes, modelFirst: true);

    private static async Task SendAndCheckAsync(bool chunked, int fileBytes, bool expectContinue = false, bool modelFirst = false)
    {
        await using var door = new FrontDoor(model: m => m with { UseModelName = "whisper-large-v3-turbo" });
        var file = new byte[fileBytes];
        new Random(fileBytes).NextBytes(file);
        (string, string?, byte[]) filePart = ("file", "a.wav", file);
        (string, string?, byte[]) sentModel = ("model", null, "a"u8.ToArray());
        (string, string?, byte[]) upstreamModel = ("model", null, "whisper-large-v3-turbo"u8.ToArray());
        var body = modelFirst ? Multipart.Build(Boundary, sentModel, filePart) : Multipart.Build(Boundary, filePart, sentModel);
        var expected = modelFirst ? Multipart.Build(Boundary, upstreamModel, filePart) : Multipart.Build(Boundary, filePart, upstreamModel);

        var head = $"POST /v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\n"
                   + (chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n") + (expectContinue ? "Expect: 100-continue\r\n" : "") + "Connection: close\r\n\r\n";
        using var client = door.Connect();
        await client.SendAsync([.. Encoding.ASCII.GetBytes(head), .. chunked ? Chunked(body) : body]);
        var response = await client.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        var received = Assert.Single(door.Received);
        Assert.Equal(expected, received.Body);
    }

    private static byte[] Chunked(byte[] body)
    {
        var output = new MemoryStream();
        for (var i = 0; i < body.Length; i += 10_000)
        {
            var n = Math.Min(10_000, body.Length - i);
            output.Write(Encoding.ASCII.GetBytes(n.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            output.Write(body, i, n);
            output.Write("\r\n"u8);
        }
        output.Write("0\r\n\r\n"u8);
        return output.ToArray();
    }
}
