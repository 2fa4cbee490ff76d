using TinySwap.Api;

namespace TinySwap.Tests.Api;

public sealed class CoalesceTickTests
{
    [Fact]
    public async Task StreamsWaitingTogether_ShareOnePause_AndAllAreWoken()
    {
        var waits = Enumerable.Range(0, 10).Select(_ => CoalesceTick.Next(TimeSpan.FromMilliseconds(20))).ToArray();

        // One pause for all ten (two if another test's pause ended between these calls): one timer, one wake-up.
        Assert.True(waits.Distinct().Count() <= 2, $"{waits.Distinct().Count()} separate pauses");
        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(10));

        // The next wait starts a new pause.
        var next = CoalesceTick.Next(TimeSpan.FromMilliseconds(20));
        Assert.DoesNotContain(next, waits);
        await next.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
