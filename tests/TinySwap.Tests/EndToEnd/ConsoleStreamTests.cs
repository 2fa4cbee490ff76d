using System.Net;
using System.Net.Sockets;
using System.Text;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>GET /api/events, /logs and /logs/stream[/{model}] against dist/tinyswap with FakeUpstream models.</summary>
public sealed class ConsoleStreamTests
{
    /// <summary>A FakeUpstream model whose process first prints <paramref name="banner"/> (its stdout goes to the log rings).</summary>
    private static string ChattyModel(string id, int port, string banner) =>
        $"  {id}:\n    cmd: sh -c \"echo {banner}; exec {RepoPaths.FakeUpstreamBinary} --port {port} --model {id}\"\n    proxy: http://127.0.0.1:{port}\n";

    [Fact]
    public async Task Events_StartWithEveryModelThenReportLoadStateChangesAndTheModelsOutput()
    {
        int portA = FreePort.Next(), portB = FreePort.Next();
        await using var tinyswap = await TinySwapServer.StartAsync(
            "models:\n" + ChattyModel("a", portA, "hello-from-a") + ChattyModel("b", portB, "hello-from-b"));
        using var events = await EventStreamReader.OpenAsync(tinyswap.Port);
        Assert.Equal(200, events.Head.Status);
        Assert.Equal("text/event-stream", events.Head.Header("Content-Type"));

        // First tinyswap's kept log, as llama-swap labels its own log ("proxy"), then every model.
        var history = await events.WaitForAsync(_ => true);
        Assert.NotNull(history);
        Assert.Equal("logData", history.Type);
        Assert.Equal("proxy", history.Data.GetProperty("source").GetString());
        Assert.Contains("http: Listening on", history.Data.GetProperty("data").GetString()); // logged before the first accept
        var first = await events.WaitForAsync(e => e.Type == "modelStatus");
        Assert.NotNull(first);
        Assert.Equal("stopped", EventStreamReader.StateOf(first, "a"));
        Assert.Equal("stopped", EventStreamReader.StateOf(first, "b"));

        await TinySwapApi.LoadAsync(tinyswap.Port, "a");

        // (tinyswap's own "spawned" line quotes the command, banner included, as source "proxy".)
        var output = await events.WaitForAsync(e => e.Type == "logData" && e.Data.GetProperty("source").GetString() == "upstream");
        Assert.NotNull(output);
        Assert.Equal("hello-from-a\n", output.Data.GetProperty("data").GetString());
        Assert.Equal("a", output.Data.GetProperty("model").GetString());
        var loaded = await events.WaitForAsync(e => e.Type == "stateChange" && e.Data.GetProperty("to").GetString() == "ready");
        Assert.NotNull(loaded);
        Assert.Equal("a", loaded.Data.GetProperty("model").GetString());
        Assert.Equal("starting", loaded.Data.GetProperty("from").GetString());
        Assert.True(loaded.Data.GetProperty("seconds").GetDouble() > 0);
        var ready = await events.WaitForAsync(e => e.Type == "modelStatus" && EventStreamReader.StateOf(e, "a") == "ready");
        Assert.NotNull(ready);
        Assert.Equal("stopped", EventStreamReader.StateOf(ready, "b"));

        // A streamed request for b swaps a out, and its end reports the tokens from the upstream's usage chunk.
        var streamed = await TinySwapApi.CompleteAsync(tinyswap.Port, "b", ""","stream":true,"n_events":3,"stream_options":{"include_usage":true}""");
        Assert.True(streamed.Status == 200, streamed.ToString());
        var swap = await events.WaitForAsync(e => e.Type == "swap");
        Assert.NotNull(swap);
        Assert.Equal("b", swap.Data.GetProperty("model").GetString());
        Assert.Equal("swap", swap.Data.GetProperty("reason").GetString());
        Assert.Equal(["a"], swap.Data.GetProperty("evicted").EnumerateArray().Select(name => name.GetString()));
        var request = await events.WaitForAsync(e => e.Type == "request" && e.Data.GetProperty("model").GetString() == "b");
        Assert.NotNull(request);
        Assert.Equal(200, request.Data.GetProperty("status").GetInt32());
        Assert.Equal("/v1/chat/completions", request.Data.GetProperty("route").GetString());
        Assert.Equal(7, request.Data.GetProperty("promptTokens").GetInt64());
        Assert.Equal(3, request.Data.GetProperty("generatedTokens").GetInt64());
    }

    [Fact]
    public async Task Logs_HistoryHasOwnAndModelLines_ModelStreamFollowsOneModel_UnknownModelIs404()
    {
        int portA = FreePort.Next(), portB = FreePort.Next();
        await using var tinyswap = await TinySwapServer.StartAsync(
            "models:\n" + ChattyModel("a", portA, "hello-from-a") + ChattyModel("b", portB, "hello-from-b"));
        using var follower = await RawHttpConnection.OpenAsync(tinyswap.Port);
        await follower.SendRequestAsync("GET", "/logs/stream/b");
        var head = await follower.ReadResponseHeadAsync();
        Assert.Equal(200, head.Status);
        Assert.Equal("chunked", head.Header("Transfer-Encoding"));

        await TinySwapApi.LoadAsync(tinyswap.Port, "a");
        await TinySwapApi.LoadAsync(tinyswap.Port, "b");

        // The follower of b sees b's line and never a's.
        var seen = new StringBuilder();
        while (!seen.ToString().Contains("hello-from-b"))
            seen.Append(Encoding.UTF8.GetString(await follower.ReadChunkAsync() ?? throw new IOException("stream ended")));
        Assert.DoesNotContain("hello-from-a", seen.ToString());

        var all = await RawHttp.GetAsync(tinyswap.Port, "/logs");
        Assert.Equal(200, all.Status);
        Assert.StartsWith("text/plain", all.Header("Content-Type"));
        Assert.Contains("[a] hello-from-a\n", all.BodyText);
        Assert.Contains("[b] hello-from-b\n", all.BodyText);
        Assert.Contains(" info ", all.BodyText); // tinyswap's own lines, with their level word

        // A later follower of every source gets the kept lines first (no-history skips them).
        using var late = await RawHttpConnection.OpenAsync(tinyswap.Port);
        await late.SendRequestAsync("GET", "/logs/stream");
        Assert.Equal(200, (await late.ReadResponseHeadAsync()).Status);
        var history = Encoding.UTF8.GetString(await late.ReadChunkAsync() ?? []);
        Assert.Contains("[a] hello-from-a", history);

        Assert.Equal(404, (await RawHttp.GetAsync(tinyswap.Port, "/logs/stream/nope")).Status);
        var browser = await RawHttp.SendAsync(tinyswap.Port, "GET", "/logs", extraHeaders: ["Accept: text/html"]);
        Assert.Equal(302, browser.Status);
        Assert.Equal("/ui/", browser.Header("Location"));
    }

    [Fact]
    public async Task AFloodOfOutput_DropsTheStalledLogReader_AndReachesTheEventsReaderCounted_WhileTheModelStarts()
    {
        // 16 MB of output while the model starts: far more than the socket buffers and the per-reader queues hold, so a
        // log reader that never reads must be dropped, or the model's output thread (and its start) would wait on it.
        // The events stream sends a second's worth of lines and then their count, so it never has that much to queue.
        var port = FreePort.Next();
        var loud = "models:\n  loud:\n" +
            $"    cmd: sh -c \"yes {new string('x', 198)} | head -c 16000000; exec {RepoPaths.FakeUpstreamBinary} --port {port} --model loud\"\n" +
            $"    proxy: http://127.0.0.1:{port}\n";
        await using var tinyswap = await TinySwapServer.StartAsync(loud);
        using var stalledEvents = await OpenStalledAsync(tinyswap.Port, "/api/events");
        using var stalledLog = await OpenStalledAsync(tinyswap.Port, "/logs/stream/loud");

        await TinySwapApi.LoadAsync(tinyswap.Port, "loud");
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "loud", servedBy: "loud");

        // The log reader was cut off: reading now drains what the kernel held and then meets the end, instead of a
        // stream that stays open.
        Assert.True(await ReadsToTheEndAsync(stalledLog), "the stalled log reader was not dropped");
        // The events reader got a small part of the flood, then the count of the rest.
        var (counted, bytes) = await ReadUntilAsync(stalledEvents, "log lines were not sent on this stream");
        Assert.True(counted, $"no count of the lines left out after {bytes} bytes");
        Assert.True(bytes < 2_000_000, $"{bytes} bytes of events for a flood of 16 MB");
        // A reader that keeps up is served as ever.
        using var fresh = await EventStreamReader.OpenAsync(tinyswap.Port);
        var status = await fresh.WaitForAsync(e => e.Type == "modelStatus");
        Assert.NotNull(status);
        Assert.Equal("ready", EventStreamReader.StateOf(status, "loud"));
    }

    /// <summary>A request whose answer is never read, on a socket with a small receive window.</summary>
    private static async Task<Socket> OpenStalledAsync(int port, string target)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), SocketFlags.None);
        return socket;
    }

    /// <summary>Reads until <paramref name="marker"/> (ASCII) has passed, or the stream ends or stalls; the bytes read.</summary>
    private static async Task<(bool Found, long Bytes)> ReadUntilAsync(Socket socket, string marker)
    {
        var buffer = new byte[1 << 16];
        var tail = "";
        long bytes = 0;
        using var timeout = new CancellationTokenSource(TinySwapServer.Generous);
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                bytes += read;
                // The marker may straddle two reads: keep the end of the last one in front of the next.
                var text = tail + Encoding.Latin1.GetString(buffer, 0, read);
                if (text.Contains(marker, StringComparison.Ordinal))
                    return (true, bytes);
                tail = text[Math.Max(0, text.Length - marker.Length)..];
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
        }
        return (false, bytes);
    }

    private static async Task<bool> ReadsToTheEndAsync(Socket socket)
    {
        var buffer = new byte[1 << 16];
        using var timeout = new CancellationTokenSource(TinySwapServer.Generous);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }
            return true;
        }
        catch (SocketException)
        {
            return true; // reset by the server: also the end
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
