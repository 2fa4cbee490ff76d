using System.Globalization;
using System.Text;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>
/// Chunked multipart uploads through dist/tinyswap: the file before the model field used to hang once it took more
/// than one read. Every wait is bounded by RawHttpConnection's timeout, so a regression fails instead of hanging.
/// </summary>
public sealed class ChunkedUploadTests
{
    private const string Boundary = "----e2e-chunked-b0undary";

    [Theory]
    [InlineData(50_000, false, false)]
    [InlineData(1024 * 1024, false, false)]
    [InlineData(20 * 1024 * 1024, false, false)]
    [InlineData(1024 * 1024, true, false)]
    [InlineData(1024 * 1024, false, true)]
    [InlineData(1024 * 1024, true, true)]
    public async Task ChunkedMultipartUpload_ArrivesWhole(int fileBytes, bool modelFirst, bool expectContinue)
    {
        var model = new FakeModel("whisper", Settings: "useModelName: whisper-large-v3-turbo");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model));
        var audio = new byte[fileBytes];
        new Random(fileBytes).NextBytes(audio);
        var modelField = ("model", (string?)null, Encoding.ASCII.GetBytes("whisper"));
        var fileField = ("file", (string?)"speech.wav", audio);
        var body = modelFirst ? Multipart.Build(Boundary, modelField, fileField) : Multipart.Build(Boundary, fileField, modelField);

        using var connection = await RawHttpConnection.OpenAsync(tinyswap.Port);
        await connection.SendAsync("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + $"Content-Type: multipart/form-data; boundary={Boundary}\r\nTransfer-Encoding: chunked\r\n"
            + (expectContinue ? "Expect: 100-continue\r\n" : "") + "\r\n");
        for (var offset = 0; offset < body.Length; offset += 64 * 1024)
        {
            var length = Math.Min(64 * 1024, body.Length - offset);
            await connection.SendAsync(length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
            await connection.SendAsync(body.AsMemory(offset, length));
            await connection.SendAsync("\r\n");
        }
        await connection.SendAsync("0\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.True(response.Status == 200, response.ToString());
        if (expectContinue)
            Assert.Equal([100], response.InterimStatuses);
        var json = response.Json();
        Assert.Equal("whisper-large-v3-turbo", json.GetProperty("model").GetString());
        Assert.Equal(audio.Length, json.GetProperty("file_size").GetInt64());
        Assert.Equal(body.Length + "whisper-large-v3-turbo".Length - "whisper".Length, json.GetProperty("body_length").GetInt64());
    }
}
