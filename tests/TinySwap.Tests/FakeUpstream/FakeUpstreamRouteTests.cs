using System.Globalization;
using System.Text;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.FakeUpstream;

/// <summary>One fake (with a slot directory) shared by the route tests of this class.</summary>
public sealed class SharedFakeUpstream : IDisposable
{
    public SharedFakeUpstream()
    {
        SlotDir = Directory.CreateTempSubdirectory("fake-slots-").FullName;
        Fake = FakeUpstreamProcess.Start("--model", "m1", "--slot-dir", SlotDir);
    }

    internal FakeUpstreamProcess Fake { get; }

    public string SlotDir { get; }

    public void Dispose()
    {
        Fake.Dispose();
        Directory.Delete(SlotDir, recursive: true);
    }
}

public sealed class FakeUpstreamRouteTests(SharedFakeUpstream shared) : IClassFixture<SharedFakeUpstream>
{
    private int Port => shared.Fake.Port;

    [Fact]
    public async Task Health_WhenReady_AnswersOk()
    {
        var response = await RawHttp.GetAsync(Port, "/health");
        Assert.Equal(200, response.Status);
        Assert.Equal("ok", response.Json().GetProperty("status").GetString());
    }

    [Fact]
    public async Task Models_ListsTheModelFlag()
    {
        var data = (await RawHttp.GetAsync(Port, "/v1/models")).Json().GetProperty("data");
        Assert.Equal("m1", Assert.Single(data.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task ChatCompletion_EchoesModelAndBodyLength()
    {
        const string body = """{"model":"asked-for","messages":[{"role":"user","content":"hi"}]}""";
        var response = await RawHttp.PostJsonAsync(Port, "/v1/chat/completions", body);
        Assert.Equal(200, response.Status);
        var json = response.Json();
        Assert.Equal("asked-for", json.GetProperty("model").GetString());
        Assert.Equal("m1", json.GetProperty("served_by").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(body), json.GetProperty("body_length").GetInt32());
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.Equal("assistant", json.GetProperty("choices")[0].GetProperty("message").GetProperty("role").GetString());
    }

    [Fact]
    public async Task Completion_AnswersTextCompletion()
    {
        var json = (await RawHttp.PostJsonAsync(Port, "/v1/completions", """{"model":"c","prompt":"x"}""")).Json();
        Assert.Equal("text_completion", json.GetProperty("object").GetString());
        Assert.Equal("fake reply", json.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task ChatCompletion_InvalidJson_Answers400()
    {
        var response = await RawHttp.PostJsonAsync(Port, "/v1/chat/completions", "{not json");
        Assert.Equal(400, response.Status);
        Assert.Contains("invalid JSON", response.Json().GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ChatCompletion_Stream_SendsCountedEventsOnePerChunkThenDone()
    {
        var response = await RawHttp.PostJsonAsync(Port, "/v1/chat/completions", """{"model":"s","stream":true,"n_events":7}""");
        Assert.Equal("text/event-stream", response.Header("Content-Type"));
        Assert.Equal("chunked", response.Header("Transfer-Encoding"));
        var events = SseEvents.Parse(response.BodyText);
        Assert.Equal(8, events.Count);
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal(8, response.Chunks.Count); // flushed one event at a time
        var sequence = events.SkipLast(1).Select(e => SseEvents.Json(e).GetProperty("seq").GetInt32());
        Assert.Equal(Enumerable.Range(0, 7), sequence);
        Assert.Equal("stop", SseEvents.Json(events[^2]).GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task ChatCompletion_StreamDefaults_FiveEvents()
    {
        var response = await RawHttp.PostJsonAsync(Port, "/v1/chat/completions", """{"model":"s","stream":true}""");
        Assert.Equal(6, SseEvents.Parse(response.BodyText).Count);
    }

    [Fact]
    public async Task ChatCompletion_StreamGap_StampsEventsAtLeastGapApart()
    {
        var response = await RawHttp.PostJsonAsync(Port, "/v1/chat/completions", """{"model":"s","stream":true,"n_events":3,"gap_ms":30}""");
        var events = SseEvents.Parse(response.BodyText).SkipLast(1).Select(SseEvents.Json).ToList();
        for (var i = 1; i < events.Count; i++)
        {
            var gap = events[i].GetProperty("t_mono_us").GetInt64() - events[i - 1].GetProperty("t_mono_us").GetInt64();
            Assert.True(gap >= 29_000, $"events {i - 1} and {i} only {gap} µs apart");
        }
        var now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        var sent = events[^1].GetProperty("t_real_us").GetInt64();
        Assert.InRange(now - sent, 0, 60_000_000); // a realtime stamp, comparable with our clock
    }

    [Fact]
    public async Task ChatCompletion_AbortAfter_ClosesWithoutTheLastChunk()
    {
        using var connection = await RawHttpConnection.OpenAsync(Port);
        await connection.SendRequestAsync("POST", "/v1/chat/completions",
            """{"model":"s","stream":true,"n_events":5,"abort_after":2}"""u8.ToArray(), "application/json");
        var error = await Assert.ThrowsAsync<IOException>(() => connection.ReadResponseAsync());
        Assert.Contains("closed", error.Message);
    }

    [Fact]
    public async Task ChatCompletion_DelayMs_HoldsTheAnswerAtLeastThatLong()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await RawHttp.PostJsonAsync(Port, "/v1/chat/completions", """{"model":"d","delay_ms":300}""");
        Assert.Equal(200, response.Status);
        // The fake's timer and this stopwatch read different clocks and may disagree by a millisecond or so; without the
        // delay the answer comes in about one.
        Assert.True(clock.ElapsedMilliseconds >= 250, $"answered after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Embeddings_OneVectorPerInput()
    {
        var json = (await RawHttp.PostJsonAsync(Port, "/v1/embeddings", """{"model":"e","input":["a","b","c"]}""")).Json();
        Assert.Equal("e", json.GetProperty("model").GetString());
        Assert.Equal(3, json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Transcription_ReportsFileSizeAndModelField()
    {
        var file = new byte[300_000];
        Random.Shared.NextBytes(file);
        var body = Multipart.Build("XyZbOuNdArY", ("model", null, "whisper-1"u8.ToArray()), ("file", "a.wav", file));
        var response = await RawHttp.SendAsync(Port, "POST", "/v1/audio/transcriptions", body,
            "multipart/form-data; boundary=XyZbOuNdArY");
        Assert.Equal(200, response.Status);
        var json = response.Json();
        Assert.Equal("whisper-1", json.GetProperty("model").GetString());
        Assert.Equal(file.Length, json.GetProperty("file_size").GetInt64());
        Assert.Equal("a.wav", json.GetProperty("file_name").GetString());
        Assert.Equal(body.Length, json.GetProperty("body_length").GetInt64());
    }

    [Fact]
    public async Task Transcription_TruncatedMultipart_Answers400()
    {
        var body = Multipart.Build("b", ("file", "a.wav", new byte[10]));
        var response = await RawHttp.SendAsync(Port, "POST", "/v1/audio/transcriptions", body[..^8], "multipart/form-data; boundary=b");
        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task Slots_SaveThenRestore_RoundTripsThroughTheSlotDir()
    {
        var saved = await RawHttp.PostJsonAsync(Port, "/slots/3?action=save", "{}");
        Assert.Equal(200, saved.Status);
        var file = Path.Combine(shared.SlotDir, "slot-3.bin");
        Assert.True(new FileInfo(file).Length > 0);
        Assert.Equal(new FileInfo(file).Length, saved.Json().GetProperty("n_written").GetInt64());

        var restored = await RawHttp.PostJsonAsync(Port, "/slots/3?action=restore", "{}");
        Assert.Equal(200, restored.Status);
        Assert.Equal(new FileInfo(file).Length, restored.Json().GetProperty("n_read").GetInt64());
    }

    [Fact]
    public async Task Slots_FileNameFromBody_IsUsed()
    {
        Assert.Equal(200, (await RawHttp.PostJsonAsync(Port, "/slots/0?action=save", """{"filename":"named.bin"}""")).Status);
        Assert.True(File.Exists(Path.Combine(shared.SlotDir, "named.bin")));
    }

    [Fact]
    public async Task Slots_RestoreWithoutSave_Answers400()
    {
        var response = await RawHttp.PostJsonAsync(Port, "/slots/99?action=restore", "{}");
        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task Slots_UnknownAction_Answers400()
    {
        Assert.Equal(400, (await RawHttp.PostJsonAsync(Port, "/slots/0?action=explode", "{}")).Status);
    }

    [Fact]
    public async Task Env_HasPidAndEnvironment()
    {
        var json = (await RawHttp.GetAsync(Port, "/env")).Json();
        Assert.Equal(shared.Fake.Pid, json.GetProperty("pid").GetInt32());
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), json.GetProperty("env").GetProperty("PATH").GetString());
    }

    [Fact]
    public async Task Echo_ReportsMethodTargetHeadersInOrderAndBody()
    {
        var response = await RawHttp.SendAsync(Port, "POST", "/echo?x=1", "hello"u8.ToArray(), "text/plain",
            ["X-Second: 2", "x-first: 1", "X-Second: again"]);
        var json = response.Json();
        Assert.Equal("POST", json.GetProperty("method").GetString());
        Assert.Equal("/echo?x=1", json.GetProperty("target").GetString());
        Assert.Equal(5, json.GetProperty("body_length").GetInt32());
        var names = json.GetProperty("headers").EnumerateArray().Select(h => h[0].GetString() + "=" + h[1].GetString()).ToList();
        Assert.Equal(["X-Second=2", "x-first=1", "X-Second=again"], names.Where(n => n.StartsWith('X') || n.StartsWith('x')));
    }

    [Fact]
    public async Task UnknownPath_IsEchoedByTheCatchAll()
    {
        var json = (await RawHttp.GetAsync(Port, "/anything/at/all?q=2")).Json();
        Assert.Equal("catch-all", json.GetProperty("route").GetString());
        Assert.Equal("/anything/at/all?q=2", json.GetProperty("target").GetString());
    }

    [Fact]
    public async Task Status_AnswersTheAskedStatus()
    {
        Assert.Equal(418, (await RawHttp.GetAsync(Port, "/status/418")).Status);
    }

    [Fact]
    public async Task Upload_CountsAndHashesTheBody()
    {
        var body = new byte[1_000_003];
        Random.Shared.NextBytes(body);
        var json = (await RawHttp.SendAsync(Port, "POST", "/upload", body, "application/octet-stream")).Json();
        Assert.Equal(body.Length, json.GetProperty("bytes").GetInt64());
        Assert.Equal(Fnv1a64Hex(body), json.GetProperty("fnv1a64").GetString());
    }

    [Fact]
    public async Task Bytes_SendsNBytesOfTheAlphabetWithContentLength()
    {
        var response = await RawHttp.GetAsync(Port, "/bytes?n=200000");
        Assert.Equal("200000", response.Header("Content-Length"));
        Assert.Equal(200_000, response.Body.Length);
        Assert.All(new[] { 0, 25, 26, 65519, 65520, 199_999 }, i => Assert.Equal((byte)('a' + i % 26), response.Body[i]));
    }

    internal static string Fnv1a64Hex(ReadOnlySpan<byte> data)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in data)
            hash = (hash ^ b) * 1099511628211UL;
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}
