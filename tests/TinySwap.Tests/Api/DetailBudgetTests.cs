using TinySwap.Api.Events;

namespace TinySwap.Tests.Api;

public sealed class DetailBudgetTests
{
    private const long Second = 1000;

    [Fact]
    public void AWindowSendsItsQuota_CountsTheRest_AndAsksForATimerOnItsFirstHeldBackItem()
    {
        var budget = new DetailBudget(perWindow: 2, windowTicks: Second);

        Assert.Equal(new DetailBudget.Decision(true, 0, null), budget.Take(100));
        Assert.Equal(new DetailBudget.Decision(true, 0, null), budget.Take(200));
        // The window opened at 100: it ends at 1100, 800 ticks after the first item held back.
        Assert.Equal(new DetailBudget.Decision(false, 0, 800), budget.Take(300));
        Assert.Equal(new DetailBudget.Decision(false, 0, null), budget.Take(400));
    }

    [Fact]
    public void TheFirstItemAfterTheWindow_CarriesItsCount_AndOpensAFreshWindow()
    {
        var budget = new DetailBudget(perWindow: 1, windowTicks: Second);
        budget.Take(0);
        budget.Take(10);
        budget.Take(20);

        Assert.Equal(new DetailBudget.Decision(true, 2, null), budget.Take(Second));
        Assert.Equal(new DetailBudget.Decision(false, 0, Second - 1), budget.Take(Second + 1));
    }

    [Fact]
    public void TheTimer_GetsTheCountOnlyOnceTheWindowEnded_AndOnlyOnce()
    {
        var budget = new DetailBudget(perWindow: 1, windowTicks: Second);
        budget.Take(0);
        budget.Take(1);

        Assert.Equal(0, budget.TakeEnded(Second - 100, out var pendingIn));
        Assert.Equal(100, pendingIn);
        Assert.Equal(1, budget.TakeEnded(Second, out pendingIn));
        Assert.Null(pendingIn);
        Assert.Equal(0, budget.TakeEnded(Second * 5, out pendingIn));
        Assert.Null(pendingIn);
        // Nothing held back: nothing to wait for.
        budget.Take(Second * 6);
        Assert.Equal(0, budget.TakeEnded(Second * 6, out pendingIn));
        Assert.Null(pendingIn);
    }
}
