using System.Text;
using TinySwap.Observability.Streams;

namespace TinySwap.Tests.Observability;

public sealed class FanOutTests
{
    private static byte[] Message(string text) => Encoding.ASCII.GetBytes(text);

    private static List<string> Drain(FanOutReader reader)
    {
        var read = new List<string>();
        while (reader.Messages.TryRead(out var message))
            read.Add(Encoding.ASCII.GetString(message));
        return read;
    }

    [Fact]
    public void Publish_EveryReaderGetsEveryMessageInOrder()
    {
        var fanOut = new FanOut(queueCapacity: 4);
        using var first = fanOut.Subscribe();
        using var second = fanOut.Subscribe();

        fanOut.Publish(Message("one"));
        fanOut.Publish(Message("two"));

        Assert.Equal(["one", "two"], Drain(first));
        Assert.Equal(["one", "two"], Drain(second));
    }

    [Fact]
    public void Publish_ToAFullReader_DropsItAndKeepsServingTheOthers()
    {
        var fanOut = new FanOut(queueCapacity: 2);
        using var stalled = fanOut.Subscribe();
        using var keepingUp = fanOut.Subscribe();

        for (var i = 0; i < 3; i++)
        {
            fanOut.Publish(Message($"m{i}"));
            Drain(keepingUp);
        }
        fanOut.Publish(Message("after"));

        Assert.True(stalled.WasDropped);
        Assert.True(stalled.Dropped.IsCancellationRequested);
        Assert.Equal(1, fanOut.DroppedReaders);
        // The dropped reader keeps what it had queued, then its stream ends.
        Assert.Equal(["m0", "m1"], Drain(stalled));
        Assert.True(stalled.Messages.Completion.IsCompleted);
        Assert.False(keepingUp.WasDropped);
        Assert.Equal(["after"], Drain(keepingUp));
    }

    [Fact]
    public void HasReaders_FollowsSubscribeAndDispose()
    {
        var fanOut = new FanOut(queueCapacity: 2);
        Assert.False(fanOut.HasReaders);
        var reader = fanOut.Subscribe();
        Assert.True(fanOut.HasReaders);
        reader.Dispose();
        Assert.False(fanOut.HasReaders);
        fanOut.Publish(Message("nobody"));
        Assert.Equal(0, fanOut.DroppedReaders);
    }

    [Fact]
    public void CloseAll_EndsEveryStreamWithoutCallingItDropped()
    {
        var fanOut = new FanOut(queueCapacity: 2);
        using var reader = fanOut.Subscribe();
        fanOut.Publish(Message("last"));

        fanOut.CloseAll();

        Assert.False(reader.WasDropped);
        Assert.Equal(["last"], Drain(reader));
        Assert.True(reader.Messages.Completion.IsCompleted);
        Assert.False(fanOut.HasReaders);
    }
}
