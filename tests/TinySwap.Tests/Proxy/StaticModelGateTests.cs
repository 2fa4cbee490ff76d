using TinySwap.Proxy;
using TinySwap.Router;
using TinySwap.Contracts;

namespace TinySwap.Tests.Proxy;

public sealed class StaticModelGateTests
{
    private static readonly TinySwap.Config.TinySwapConfig Config = TestModels.Config(TestModels.Model("a"), TestModels.Model("b"));

    [Fact]
    public async Task AcquireAsync_KnownModel_IsGrantedAtOnceAndCounted()
    {
        var gate = new StaticModelGate(Config);
        var pending = gate.AcquireAsync(Config.Models[0], null, CancellationToken.None);
        Assert.True(pending.IsCompletedSuccessfully);
        var result = await pending;
        Assert.True(result.IsGranted);
        Assert.Same(Config.Models[0], result.Lease.Model);
        Assert.Equal(1, gate.InFlight("a"));

        result.Lease.Release();
        Assert.Equal(0, gate.InFlight("a"));
    }

    [Fact]
    public async Task AcquireAsync_UnknownModel_IsRefusedWith404()
    {
        var gate = new StaticModelGate(Config);
        var result = await gate.AcquireAsync(TestModels.Model("stranger"), null, CancellationToken.None);
        Assert.False(result.IsGranted);
        Assert.Equal(404, result.Refusal!.StatusCode);
        Assert.Equal("model_not_found", result.Refusal.ErrorCode);
    }

    [Fact]
    public async Task AcquireAsync_ClientAlreadyGone_IsCanceled()
    {
        var gate = new StaticModelGate(Config);
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.AcquireAsync(Config.Models[0], null, aborted.Token).AsTask());
        Assert.Equal(0, gate.InFlight("a"));
    }

    [Fact]
    public async Task Release_Twice_IsABug()
    {
        var gate = new StaticModelGate(Config);
        var lease = (await gate.AcquireAsync(Config.Models[1], null, CancellationToken.None)).Lease;
        lease.Release();
        Assert.Throws<InvalidOperationException>(lease.Release);
        Assert.Equal(0, gate.InFlight("b"));
    }

    [Fact]
    public async Task Snapshot_ShowsEveryModelReadyWithInFlight()
    {
        var gate = new StaticModelGate(Config);
        await gate.AcquireAsync(Config.Models[1], null, CancellationToken.None);
        await gate.AcquireAsync(Config.Models[1], null, CancellationToken.None);
        Assert.Equal(
            [new ModelStatus("a", ModelState.Ready, null, 0, 0, null), new ModelStatus("b", ModelState.Ready, null, 2, 0, null)],
            gate.Snapshot());
    }
}
