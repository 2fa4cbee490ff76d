using System.Globalization;
using System.Text;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>Big bodies on the way in: raw passthrough and multipart audio, byte for byte.</summary>
public sealed class UploadTests
{
    [Fact]
    public async Task SixtyFourMebibyteUploadThroughUpstreamPassthrough_ArrivesIntact()
    {
        var model = new FakeModel("a");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model));
        var body = new byte[64 * 1024 * 1024];
        new Random(20260123).NextBytes(body);

        using var connection = await RawHttpConnection.OpenAsync(tinyswap.Port);
        await connection.SendRequestAsync("POST", "/upstream/a/upload", body, "application/octet-stream");
        var response = await connection.ReadResponseAsync();

        Assert.True(response.Status == 200, response.ToString());
        var json = response.Json();
        Assert.Equal(body.LongLength, json.GetProperty("bytes").GetInt64());
        Assert.Equal(Fnv1a64(body), json.GetProperty("fnv1a64").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MultipartTranscriptionWithUseModelName_UpstreamSeesTheRewrittenModelAndTheWholeFile(bool modelFieldFirst)
    {
        var model = new FakeModel("whisper", Settings: "useModelName: whisper-large-v3-turbo");
        await using var tinyswap = await TinySwapServer.StartAsync(FakeModel.Config("", model));
        var audio = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(audio);
        var modelField = ("model", (string?)null, Encoding.ASCII.GetBytes("whisper"));
        var fileField = ("file", (string?)"speech.wav", audio);
        var format = ("response_format", (string?)null, Encoding.ASCII.GetBytes("json"));
        const string boundary = "----e2e-boundary-7MA4YWxkTrZu0gW";
        var body = modelFieldFirst
            ? Multipart.Build(boundary, modelField, fileField, format)
            : Multipart.Build(boundary, fileField, format, modelField);

        var response = await RawHttp.SendAsync(tinyswap.Port, "POST", "/v1/audio/transcriptions", body,
            "multipart/form-data; boundary=" + boundary);

        Assert.True(response.Status == 200, response.ToString());
        var json = response.Json();
        Assert.Equal("whisper-large-v3-turbo", json.GetProperty("model").GetString());
        Assert.Equal(audio.Length, json.GetProperty("file_size").GetInt64());
        Assert.Equal("speech.wav", json.GetProperty("file_name").GetString());
        Assert.Equal(body.Length + "whisper-large-v3-turbo".Length - "whisper".Length, json.GetProperty("body_length").GetInt64());
        var fields = json.GetProperty("fields").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Equal(modelFieldFirst ? ["model", "file", "response_format"] : ["file", "response_format", "model"], fields);
    }

    /// <summary>FNV-1a 64 as FakeUpstream's /upload reports it (lowercase hex).</summary>
    private static string Fnv1a64(ReadOnlySpan<byte> data)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in data)
            hash = (hash ^ b) * 1099511628211UL;
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}
