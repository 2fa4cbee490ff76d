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
    /// Known bug, not the spill's: a chunked file-first form larger than one read stalls after the model is found —
    /// the forwarder's next body read never completes although the client sent the last chunk. It happens with the
    /// prefix held in memory (50 KB) as well as spilled; Content-Length bodies and model-first chunked bodies work.
    /// </summary>
    [Theory(Skip = "chunked file-first multipart > one read stalls in the body reader after the model is found (see summary)")]
    [InlineData(true, 50_000)]
    [InlineData(true, BodySpill.MemoryBytes * 4 + 321)]
    public Task ChunkedFileBeforeModel_LargerThanOneRead_ArrivesSpliced(bool chunked, int fileBytes) => SendAndCheckAsync(chunked, fileBytes);

    private static async Task SendAndCheckAsync(bool chunked, int fileBytes)
    {
        await using var door = new FrontDoor(model: m => m with { UseModelName = "whisper-large-v3-turbo" });
        var file = new byte[fileBytes];
        new Random(fileBytes).NextBytes(file);
        var body = Multipart.Build(Boundary, ("file", "a.wav", file), ("model", null, "a"u8.ToArray()));
        var expected = Multipart.Build(Boundary, ("file", "a.wav", file), ("model", null, "whisper-large-v3-turbo"u8.ToArray()));

        var head = $"POST /v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\n"
                   + (chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n") + "Connection: close\r\n\r\n";
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
