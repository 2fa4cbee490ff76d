using TinySwap.Proxy;
using TinySwap.Router;
using static TinySwap.Tests.Router.RouterHarness;
using TinySwap.Contracts;

namespace TinySwap.Tests.Router;

/// <summary>In-flight counts stay exact when a client's cancellation races the loop's grant.</summary>
public sealed class InFlightTests
{
    /// <summary>Holds the loop thread inside the message-processed hook, so a test can line messages up behind it.</summary>
    private sealed class LoopGate
    {
        private readonly ManualResetEventSlim _open = new(true);
        private readonly ManualResetEventSlim _held = new(false);
        private volatile bool _armed;

        public void OnProcessed(RouterMessage message)
        {
            if (message.Kind != RouterMessageKind.Barrier || !_armed)
                return;
            _armed = false;
            _held.Set();
            _open.Wait(Patience);
        }

        public void Hold(ModelRouter router)
        {
            _open.Reset();
            _held.Reset();
            _armed = true;
            _ = router.FlushAsync();
            Assert.True(_held.Wait(Patience), "the loop never reached the gate");
        }

        public void Open() => _open.Set();
    }

    [Fact]
    public async Task CancellationLandsBeforeTheGrant_RequestNotCounted()
    {
        var gate = new LoopGate();
        await using var harness = new RouterHarness(ConfigOf([Model("a")]), new RouterOptions { OnMessageProcessed = gate.OnProcessed });
        using var client = new CancellationTokenSource();
        var request = harness.Request("a", aborted: client.Token);
        await harness.Settle();

        gate.Hold(harness.Router);
        harness.Process("a").CompleteStart(); // the loop will try to grant first...
        client.Cancel();                      // ...but the client's cancellation has already won the race
        gate.Open();
        await harness.Settle();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request.Task);
        Assert.Equal(0, harness.Status("a").InFlight);
        Assert.Equal(ModelState.Ready, harness.State("a"));
    }

    [Fact]
    public async Task GrantLandsBeforeTheCancellation_RequestCountedUntilReleased()
    {
        await using var harness = new RouterHarness(Model("a"));
        using var client = new CancellationTokenSource();
        var request = harness.Request("a", aborted: client.Token);
        await harness.Settle();

        harness.Process("a").CompleteStart();
        var lease = await request.Granted();
        client.Cancel();
        await harness.Settle();

        Assert.Equal(1, harness.Status("a").InFlight);
        await harness.Release(lease);
        Assert.Equal(0, harness.Status("a").InFlight);
    }

    [Fact]
    public async Task CancellationsRacingGrants_CountEqualsGrantsReceived()
    {
        await using var harness = new RouterHarness(Model("a"));
        var clients = Enumerable.Range(0, 300).Select(_ => new CancellationTokenSource()).ToArray();
        var requests = clients.Select(client => harness.Request("a", aborted: client.Token)).ToArray();
        await harness.Settle();

        // Cancel every other client from the thread pool while the start completes and the loop grants.
        var cancellations = clients.Where((_, i) => i % 2 == 0).Select(client => Task.Run(client.Cancel)).ToArray();
        harness.Process("a").CompleteStart();
        await Task.WhenAll(cancellations);

        var leases = new List<ModelLease>();
        foreach (var request in requests)
        {
            try
            {
                var result = await request.Task.WaitAsync(Patience);
                Assert.True(result.IsGranted);
                leases.Add(result.Lease);
            }
            catch (OperationCanceledException)
            {
            }
        }
        await harness.Settle();

        Assert.Equal(leases.Count, harness.Status("a").InFlight);
        Assert.InRange(leases.Count, 150, 300);
        foreach (var lease in leases)
            await harness.Release(lease);
        Assert.Equal(0, harness.Status("a").InFlight);
        foreach (var client in clients)
            client.Dispose();
    }

    [Fact]
    public async Task FastPathUnderConcurrency_PooledWaitersNeverCrossRequests()
    {
        var config = ConfigOf([Model("a"), Model("b")], null, c => c with { MaxRunning = 2 });
        await using var harness = new RouterHarness(config);
        (await harness.Serve("a")).Release();
        (await harness.Serve("b")).Release();

        var granted = 0;
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var id = worker % 2 == 0 ? "a" : "b";
            for (var i = 0; i < 200; i++)
            {
                using var client = new CancellationTokenSource();
                var pending = harness.Router.AcquireAsync(harness.ConfigFor(id), null, client.Token);
                if (i % 3 == 0)
                    client.Cancel();
                try
                {
                    var result = await pending;
                    Assert.Equal(id, result.Lease.Model.Id);
                    Interlocked.Increment(ref granted);
                    result.Lease.Release();
                }
                catch (OperationCanceledException)
                {
                }
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(Patience);
        await harness.Settle();

        // Every request not cancelled is granted (133 of 200 per worker); a cancellation may also lose to its grant.
        Assert.True(granted >= 8 * 133, $"only {granted} grants");
        Assert.Equal(0, harness.Status("a").InFlight);
        Assert.Equal(0, harness.Status("b").InFlight);
        Assert.Equal(["start"], harness.Process("a").Calls);
    }

    [Fact]
    public async Task AlreadyCancelledToken_CompletesAtOnce_WithoutReachingTheLoop()
    {
        await using var harness = new RouterHarness(Model("a"));
        using var client = new CancellationTokenSource();
        client.Cancel();

        var pending = harness.Router.AcquireAsync(harness.ConfigFor("a"), null, client.Token);

        Assert.True(pending.IsCanceled);
        await harness.Settle();
        Assert.Empty(harness.Process("a").Calls);
    }
}
