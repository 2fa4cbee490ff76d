using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FakeUpstream.Http;

namespace FakeUpstream.Client;

/// <summary>
/// `FakeUpstream sse-client`: opens --streams concurrent streaming completions to --url, and for every
/// event subtracts the t_mono_us the fake stamped before sending it from CLOCK_MONOTONIC at arrival —
/// one clock for all processes on the machine, so the difference is the delivery delay. With --rss-pid
/// it reads that process's VmRSS once every stream has its first event (all open at once).
/// Prints one line of key=value figures; exits 1 if any stream failed or lost an event.
/// </summary>
internal static class SseClient
{
    public static int Run(string[] args)
    {
        if (ClientArgs.Parse(args) is not { } flags || flags.Text("url") is not { } url)
        {
            Console.Error.WriteLine("fake: sse-client needs --url http://HOST:PORT/PATH");
            return 2;
        }
        var uri = new Uri(url);
        var events = flags.Number("events", 100);
        var streams = flags.Number("streams", 1);
        var body = Encoding.UTF8.GetBytes(
            $$"""{"model":"{{flags.Text("model") ?? "bench"}}","stream":true,"n_events":{{events}},"gap_ms":{{flags.Number("gap-ms", 0)}},"messages":[{"role":"user","content":"hi"}]}""");
        var request = Encoding.ASCII.GetBytes(
            $"POST {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n")
            .Concat(body).ToArray();

        var allOpen = new CountdownEvent(streams);
        long? rssKb = null;
        var rssPid = flags.Number("rss-pid", 0);
        var reader = rssPid == 0 ? null : Task.Run(() =>
        {
            allOpen.Wait();
            rssKb = ProcessStatus.RssKb(rssPid);
        });

        var runs = Enumerable.Range(0, streams).Select(_ => Task.Run(() => StreamAsync(uri, request, allOpen))).ToArray();
        try
        {
            Task.WaitAll(runs);
            reader?.Wait();
        }
        catch (AggregateException e)
        {
            Console.Error.WriteLine($"fake: sse-client: {e.InnerExceptions[0].Message}");
            return 1;
        }

        var delays = runs.SelectMany(r => r.Result).ToList();
        delays.Sort();
        var expected = (long)events * streams;
        Console.Out.WriteLine(
            $"streams={streams} events={delays.Count} delay_us_p50={Percentile.Of(delays, 50)} delay_us_p99={Percentile.Of(delays, 99)} " +
            $"delay_us_max={(delays.Count > 0 ? delays[^1] : 0)}" + (rssKb is { } rss ? $" rss_kb={rss}" : ""));
        if (delays.Count != expected)
        {
            Console.Error.WriteLine($"fake: sse-client: got {delays.Count} events, expected {expected}");
            return 1;
        }
        return 0;
    }

    /// <summary>One stream: the delay of each event in microseconds; throws if it ends without [DONE].</summary>
    private static async Task<List<long>> StreamAsync(Uri uri, byte[] request, CountdownEvent firstEvent)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port));
        await socket.SendAsync(request, SocketFlags.None);

        var input = new ConnectionInput(socket);
        var status = await input.ReadLineAsync(CancellationToken.None) ?? throw new IOException("no response");
        if (!status.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
            throw new IOException($"answer was '{status}'");
        var chunked = false;
        long length = -1;
        while (await input.ReadLineAsync(CancellationToken.None) is { Length: > 0 } header)
        {
            if (header.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && header.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                chunked = true;
            else if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                length = long.Parse(header["Content-Length:".Length..].Trim());
        }
        var body = new MessageBody(input, chunked, Math.Max(length, 0));

        var delays = new List<long>();
        var pending = new List<byte>();
        var buffer = new byte[16 * 1024];
        var signalled = false;
        int read;
        while ((read = await body.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            var arrived = Clock.MonotonicMicroseconds();
            pending.AddRange(buffer.AsSpan(0, read));
            while (TakeEvent(pending) is { } payload)
            {
                if (payload.AsSpan().SequenceEqual("[DONE]"u8))
                    return delays;
                delays.Add(arrived - SentAt(payload));
                if (!signalled)
                {
                    signalled = true;
                    firstEvent.Signal();
                }
            }
        }
        throw new IOException($"stream ended after {delays.Count} events without [DONE]");
    }

    /// <summary>Removes one complete "data: ...\n\n" event from the front and returns its payload.</summary>
    private static byte[]? TakeEvent(List<byte> pending)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending);
        var end = span.IndexOf("\n\n"u8);
        if (end < 0)
            return null;
        var line = span[..end];
        var payload = (line.StartsWith("data: "u8) ? line[6..] : line).ToArray();
        pending.RemoveRange(0, end + 2);
        return payload;
    }

    private static long SentAt(ReadOnlySpan<byte> payload)
    {
        var at = payload.IndexOf("\"t_mono_us\":"u8);
        if (at < 0 || !Utf8Parser.TryParse(payload[(at + 12)..], out long sent, out _))
            throw new InvalidDataException("event without t_mono_us: " + Encoding.UTF8.GetString(payload));
        return sent;
    }
}

/// <summary>Reads /proc/PID/status figures.</summary>
internal static class ProcessStatus
{
    public static long RssKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]);
        }
        throw new InvalidDataException($"no VmRSS in /proc/{pid}/status");
    }
}
