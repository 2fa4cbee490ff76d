using System.Text;
using System.Text.Json;
using TinySwap.Proxy.LoadingStream;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Proxy;

public sealed class LoadingStreamUnitTests
{
    [Theory]
    [InlineData("""{"model":"m","stream":true}""", true)]
    [InlineData("""{"messages":[{"stream":true}],"options":{"stream":true},"stream":true}""", true)]
    [InlineData("""{"model":"m","stream":false}""", false)]
    [InlineData("""{"model":"m","stream":"true"}""", false)]
    [InlineData("""{"model":"m","messages":[{"stream":true}]}""", false)]
    [InlineData("""{"model":"m","stream":tru""", false)]
    [InlineData("""[{"stream":true}]""", false)]
    public void StreamFlag_TopLevelTrueOnly(string json, bool streaming) =>
        Assert.Equal(streaming, StreamFlag.IsStreaming(Sequences.Single(Encoding.UTF8.GetBytes(json))));

    [Fact]
    public void Describe_QueuePosition_LoadWithAndWithoutEstimate()
    {
        Assert.Equal("Waiting for the model: position 2 in the queue\n", LoadingChunks.Describe(new LoadingSnapshot(2, null, null, TimeSpan.Zero)));
        Assert.Equal("Loading m: 3.0 s of about 12.0 s (25%)\n",
            LoadingChunks.Describe(new LoadingSnapshot(null, "m", TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(3))));
        Assert.Equal("Loading m: 30.0 s of about 12.0 s (99%)\n",
            LoadingChunks.Describe(new LoadingSnapshot(null, "m", TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(30))));
        Assert.Equal("Loading m: 1.5 s\n", LoadingChunks.Describe(new LoadingSnapshot(null, "m", null, TimeSpan.FromSeconds(1.5))));
    }

    [Fact]
    public void Progress_IsAChatCompletionChunkWithReasoningOnly()
    {
        var text = Encoding.UTF8.GetString(LoadingChunks.Progress("m", 1700000000, "Loading \"m\"\n"));
        Assert.StartsWith("data: ", text);
        Assert.EndsWith("\n\n", text);
        using var chunk = JsonDocument.Parse(text["data: ".Length..]);
        Assert.Equal("chat.completion.chunk", chunk.RootElement.GetProperty("object").GetString());
        var delta = chunk.RootElement.GetProperty("choices")[0].GetProperty("delta");
        Assert.Equal("Loading \"m\"\n", delta.GetProperty("reasoning_content").GetString());
        Assert.False(delta.TryGetProperty("content", out _));
    }

    [Fact]
    public void LoadingProgress_FirstNoticeAndChangedCompleteOnANotice()
    {
        var progress = new LoadingProgress();
        var changed = progress.Changed;
        Assert.False(progress.FirstNotice.IsCompleted);
        progress.QueuePosition(3);
        Assert.True(progress.FirstNotice.IsCompleted);
        Assert.True(changed.IsCompleted);
        Assert.False(progress.Changed.IsCompleted);
        Assert.Equal(3, progress.Snapshot().QueuePosition);
        progress.Loading("m", TimeSpan.FromSeconds(5));
        var now = progress.Snapshot();
        Assert.Null(now.QueuePosition);
        Assert.Equal("m", now.LoadingModel);
        Assert.Equal(TimeSpan.FromSeconds(5), now.EstimatedRemaining);
    }
}
