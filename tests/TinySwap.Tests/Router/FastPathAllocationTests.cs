using static TinySwap.Tests.Router.RouterHarness;

namespace TinySwap.Tests.Router;

/// <summary>Alone in its collection: it reads the process-wide allocation counter, which parallel tests would disturb.</summary>
[CollectionDefinition(nameof(AllocationMeasurements), DisableParallelization = true)]
public sealed class AllocationMeasurements;

/// <summary>A request for a ready model costs no allocation once warm: pooled waiter, struct messages (counted, not timed).</summary>
[Collection(nameof(AllocationMeasurements))]
public sealed class FastPathAllocationTests
{
    private const int Requests = 20_000;

    [Fact]
    public async Task ReadyModel_AcquireAndRelease_AllocateNothingPerRequest()
    {
        await using var harness = new RouterHarness(Model("a"));
        (await harness.Serve("a")).Release();
        var model = harness.ConfigFor("a");
        using var client = new CancellationTokenSource();

        async Task Run(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var result = await harness.Router.AcquireAsync(model, null, client.Token);
                result.Lease.Release();
            }
            await harness.Settle();
        }

        await Run(2_000); // warm up: JIT, pool, queue segments
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await Run(Requests);
        var perRequest = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Requests;

        // Amortised queue segments and the test's own awaits stay far below one object per request.
        Assert.True(perRequest < 8, $"{perRequest:0.00} bytes allocated per request");
        Assert.Equal(0, harness.Status("a").InFlight);
    }
}
