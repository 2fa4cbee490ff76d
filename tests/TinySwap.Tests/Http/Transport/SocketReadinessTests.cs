using System.Buffers;
using System.Net;
using System.Net.Sockets;
using TinySwap.Http.Transport;

namespace TinySwap.Tests.Http.Transport;

/// <summary>
/// Our own edge-triggered receive path: a short read means "wait for the next event" except when the peer's FIN or an
/// error already waits behind the data, a Close wakes a waiting receive, and many connections echoing at once lose no
/// wake-up and no byte.
/// </summary>
public sealed class SocketReadinessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DataAndFinThatArrivedTogether_AreReadToTheEnd()
    {
        using var pair = await RegisteredPair.ConnectAsync(client =>
        {
            client.Send("hello"u8);
            client.Shutdown(SocketShutdown.Send);
        });
        // The loop has seen the event that carries both the data and EPOLLRDHUP: no further event will come, so the
        // end of stream must be found by reading on after the short read.
        Assert.True(SpinWait.SpinUntil(() => pair.Readiness.ReadEventCount > 0, Patience), "no readiness event");
        var buffer = new byte[64];

        Assert.Equal(5, await pair.Readiness.ReceiveAsync(buffer).AsTask().WaitAsync(Patience));
        Assert.Equal(0, await pair.Readiness.ReceiveAsync(buffer).AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task ReceiveWaitingForData_IsWokenByTheNextSend()
    {
        using var pair = await RegisteredPair.ConnectAsync();
        var buffer = new byte[64];
        var receive = pair.Readiness.ReceiveAsync(buffer);
        Assert.False(receive.IsCompleted);

        pair.Client.Send("late"u8);

        Assert.Equal(4, await receive.AsTask().WaitAsync(Patience));
        Assert.Equal("late"u8.ToArray(), buffer[..4]);
    }

    [Fact]
    public async Task Close_WhileAReceiveWaits_FailsItAsClosedByUs()
    {
        using var pair = await RegisteredPair.ConnectAsync();
        var receive = pair.Readiness.ReceiveAsync(new byte[64]).AsTask();
        Assert.False(receive.IsCompleted);

        pair.Readiness.Close();

        var error = await Assert.ThrowsAsync<SocketException>(() => receive.WaitAsync(Patience));
        Assert.Equal(IoFailureKind.ClosedByUs, IoFailure.Classify(error));
        await Assert.ThrowsAsync<SocketException>(() => pair.Readiness.ReceiveAsync(new byte[64]).AsTask());
    }

    [Fact]
    public async Task WaitWritable_RoomThatCameBeforeTheWait_IsNotWaitedFor()
    {
        using var pair = await RegisteredPair.ConnectAsync();
        var readiness = pair.Readiness;
        var chunk = new byte[64 * 1024];
        long before;
        long sent = 0;
        while (true)
        {
            before = readiness.WriteEventCount;
            var taken = readiness.Send(chunk, out var errno);
            if (taken < 0)
            {
                Assert.Equal(TinySwap.Native.LibC.EAGAIN, errno);
                break;
            }
            sent += taken;
        }
        // The peer reads everything: the kernel signals room (EPOLLOUT) before anyone waits for it.
        var buffer = new byte[256 * 1024];
        for (long read = 0; read < sent;)
            read += await pair.Client.ReceiveAsync(buffer, SocketFlags.None);
        Assert.True(SpinWait.SpinUntil(() => readiness.WriteEventCount != before, Patience), "no write event");
        var calledBack = false;

        var waits = readiness.WaitWritable(before, _ => calledBack = true, null);

        Assert.False(waits, "a wait published after its event would never be woken");
        Assert.False(calledBack);
    }

    /// <summary>
    /// Many connections echo random-sized messages at once through SocketConnection, both directions on our loop; the
    /// replies arrive byte for byte. A lost wake-up (a read or a send that waits for an event already consumed) hangs
    /// a connection here; a miscounted partial send garbles one.
    /// </summary>
    [Fact]
    public async Task ManyConnectionsEchoingAtOnce_LoseNoWakeUpAndNoByte()
    {
        const int Connections = 24;
        const int MessagesEach = 60;
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(Connections);
        var echoes = new List<Task>();
        var clients = new List<Task>();
        for (var i = 0; i < Connections; i++)
        {
            var seed = i;
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(listener.LocalEndPoint!);
            echoes.Add(EchoAsync(await listener.AcceptAsync()));
            clients.Add(Task.Run(() => ExchangeAsync(client, seed, MessagesEach)));
        }

        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(60));
        await Task.WhenAll(echoes).WaitAsync(Patience);
    }

    /// <summary>
    /// Connections come and go while others talk: their slots in the loop's table are reused under new generations, and
    /// an event still queued for a closed socket must neither wake nor starve the one that took its slot.
    /// </summary>
    [Fact]
    public async Task ConnectionsOpeningAndClosingWhileOthersTalk_EachGetsItsOwnBytes()
    {
        const int ShortLived = 300;
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        var echoes = new List<Task>();
        var talkers = new List<Task>();
        for (var i = 0; i < 4; i++)
        {
            var seed = 1000 + i;
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(listener.LocalEndPoint!);
            echoes.Add(EchoAsync(await listener.AcceptAsync()));
            talkers.Add(Task.Run(() => ExchangeAsync(client, seed, 40)));
        }

        for (var i = 0; i < ShortLived; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(listener.LocalEndPoint!);
            echoes.Add(EchoAsync(await listener.AcceptAsync()));
            await ExchangeAsync(client, i, 1).WaitAsync(Patience);
        }

        await Task.WhenAll(talkers).WaitAsync(TimeSpan.FromSeconds(60));
        await Task.WhenAll(echoes).WaitAsync(Patience);
    }

    private static async Task EchoAsync(Socket socket)
    {
        await using var connection = new SocketConnection(socket);
        connection.Start();
        while (true)
        {
            var result = await connection.Input.ReadAsync();
            foreach (var segment in result.Buffer)
                connection.Output.Write(segment.Span);
            connection.Input.AdvanceTo(result.Buffer.End);
            if (result.Buffer.Length > 0)
                await connection.Output.FlushAsync();
            if (result.IsCompleted)
                return;
        }
    }

    private static async Task ExchangeAsync(Socket client, int seed, int messages)
    {
        using (client)
        {
            var random = new Random(seed);
            var received = new byte[256 * 1024];
            for (var m = 0; m < messages; m++)
            {
                // Up to 200 KB: more than the socket buffers hold, so the echo's sends fall short and wait for room.
                var message = new byte[random.Next(1, 200_000)];
                random.NextBytes(message);
                var sending = client.SendAsync(message, SocketFlags.None);
                var total = 0;
                while (total < message.Length)
                {
                    var n = await client.ReceiveAsync(received.AsMemory(total, message.Length - total), SocketFlags.None);
                    Assert.True(n > 0, $"connection {seed} ended after {total} of {message.Length} bytes of message {m}");
                    total += n;
                }
                await sending;
                Assert.True(received.AsSpan(0, total).SequenceEqual(message), $"connection {seed}, message {m} came back changed");
            }
            client.Shutdown(SocketShutdown.Send);
        }
    }
}
