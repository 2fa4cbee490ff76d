using System.Globalization;
using System.Text;
using TinySwap.Tests.Support;
using Xunit.Abstractions;

namespace TinySwap.Tests.EndToEnd;

/// <summary>
/// Issue 10 item 6 through dist/tinyswap: a multipart upload whose file comes before its `model` field (the openai npm
/// SDK's order) is spilled to an unlinked temp file, not held in memory, and nothing is left open afterwards.
/// </summary>
public sealed class UploadSpillTests(ITestOutputHelper output)
{
    private const string Boundary = "----spill-boundary-9f8e7d6c";
    private const string SpillDirectory = "/var/tmp/";   // tempDir's default

    /// <summary>A model served by FakeUpstream behind a path prefix, so the upload lands on its echo route (size and hash).</summary>
    private static string Config(int port, string topLevel = "") => topLevel + $"""

        models:
          whisper:
            cmd: {RepoPaths.FakeUpstreamBinary} --port {port} --model whisper
            proxy: http://127.0.0.1:{port}/echo-prefix
            checkEndpoint: /health

        """;

    private static byte[] FileFirst(byte[] file) => Multipart.Build(Boundary,
        ("file", "speech.wav", file), ("response_format", null, "json"u8.ToArray()), ("model", null, "whisper"u8.ToArray()));

    [Fact]
    public async Task SixtyFourMebibyteFileBeforeModel_StreamsIdentically_WithLittleMemory_AndLeavesNoTempFile()
    {
        // 64 MiB of file plus the form around it is just over the default maxBodyMB (64).
        await using var tinyswap = await TinySwapServer.StartAsync(Config(FreePort.Next(), "limits:\n  maxBodyMB: 65\n"));
        // Warm-up: starts the model and runs the spill path once, so the baseline holds every lasting allocation.
        var warm = await UploadAsync(tinyswap.Port, FileFirst(new byte[BodySpillBytes * 3]));
        Assert.True(warm.Status == 200, warm.ToString());

        var file = new byte[64 * 1024 * 1024];
        new Random(20261201).NextBytes(file);
        var body = FileFirst(file);
        var baseline = ProcessMemory.ResetPeak(tinyswap.Pid);

        var response = await UploadAsync(tinyswap.Port, body);

        var peak = ProcessMemory.PeakKiB(tinyswap.Pid);
        output.WriteLine($"RSS {baseline} KiB before, peak {peak} KiB during the upload: +{(peak - baseline) / 1024.0:F1} MB");
        Assert.True(response.Status == 200, response.ToString());
        var json = response.Json();
        Assert.Equal(body.LongLength, json.GetProperty("body_length").GetInt64());
        Assert.Equal(Fnv1a64(body), json.GetProperty("body_fnv1a64").GetString());
        Assert.True(peak - baseline < 8 * 1024, $"RSS grew by {(peak - baseline) / 1024.0:F1} MB for a 64 MiB upload (baseline {baseline} KiB, peak {peak} KiB)");
        Assert.Empty(SpillFiles(tinyswap.Pid));
    }

    [Fact]
    public async Task ClientAbortingMidUpload_LeavesNoTempFile()
    {
        await using var tinyswap = await TinySwapServer.StartAsync(Config(FreePort.Next()));
        var body = FileFirst(new byte[32 * 1024 * 1024]);
        using (var connection = await RawHttpConnection.OpenAsync(tinyswap.Port))
        {
            await connection.SendAsync($"POST /v1/audio/transcriptions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: {body.Length}\r\n\r\n");
            await connection.SendAsync(body.AsMemory(0, 8 * 1024 * 1024));
            // Spilling has begun: the model field is still 24 MiB away.
            Assert.True(await WaitUntilAsync(() => SpillFiles(tinyswap.Pid).Count == 1), "no spill file appeared");
            connection.Reset();
        }
        Assert.True(await WaitUntilAsync(() => SpillFiles(tinyswap.Pid).Count == 0), "the spill file outlived the aborted upload");
        Assert.Equal(200, (await RawHttp.GetAsync(tinyswap.Port, "/health")).Status);
    }

    [Fact]
    public async Task ChunkedUploadOverMaxBody_Gets413_AndLeavesNoTempFile()
    {
        await using var tinyswap = await TinySwapServer.StartAsync(Config(FreePort.Next(), "limits:\n  maxBodyMB: 1\n"));
        var body = FileFirst(new byte[3 * 1024 * 1024]);
        using var connection = await RawHttpConnection.OpenAsync(tinyswap.Port);
        await connection.SendAsync($"POST /v1/audio/transcriptions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\nTransfer-Encoding: chunked\r\n\r\n");
        try
        {
            for (var i = 0; i < body.Length; i += 65536)
            {
                var n = Math.Min(65536, body.Length - i);
                await connection.SendAsync(Encoding.ASCII.GetBytes(n.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
                await connection.SendAsync(body.AsMemory(i, n));
                await connection.SendAsync("\r\n");
            }
            await connection.SendAsync("0\r\n\r\n");
        }
        catch (System.Net.Sockets.SocketException)
        {
            // The server answers and closes once the limit is passed; the rest of the upload has nowhere to go.
        }

        var response = await connection.ReadResponseAsync();
        Assert.Equal(413, response.Status);
        Assert.True(await WaitUntilAsync(() => SpillFiles(tinyswap.Pid).Count == 0), "the spill file outlived the refused upload");
    }

    private const int BodySpillBytes = 64 * 1024;

    private static async Task<RawHttpResponse> UploadAsync(int port, byte[] body)
    {
        using var connection = await RawHttpConnection.OpenAsync(port);
        await connection.SendRequestAsync("POST", "/v1/audio/transcriptions", body, "multipart/form-data; boundary=" + Boundary);
        return await connection.ReadResponseAsync();
    }

    /// <summary>tinyswap's descriptors on files under the spill directory (unlinked ones read "/var/tmp/#123 (deleted)").</summary>
    private static List<string> SpillFiles(int pid) =>
        Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
            .Select(fd =>
            {
                try
                {
                    return new FileInfo(fd).LinkTarget ?? "";
                }
                catch (IOException)
                {
                    return "";   // closed while we looked
                }
            })
            .Where(target => target.StartsWith(SpillDirectory, StringComparison.Ordinal))
            .ToList();

    private static async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TinySwapServer.Generous;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(10);
        }
        return true;
    }

    private static string Fnv1a64(ReadOnlySpan<byte> data)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in data)
            hash = (hash ^ b) * 1099511628211UL;
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}

/// <summary>Resident memory of a process from /proc, in KiB.</summary>
internal static class ProcessMemory
{
    /// <summary>Resets the peak (VmHWM) to the current RSS (clear_refs "5", Linux 4.0+) and returns that RSS.</summary>
    public static long ResetPeak(int pid)
    {
        File.WriteAllText($"/proc/{pid}/clear_refs", "5");
        return Field(pid, "VmRSS:");
    }

    public static long PeakKiB(int pid) => Field(pid, "VmHWM:");

    private static long Field(int pid, string name)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
