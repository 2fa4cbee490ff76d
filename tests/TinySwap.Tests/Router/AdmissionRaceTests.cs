using Microsoft.Extensions.Logging.Abstractions;
using TinySwap.Config;
using TinySwap.Router;
using TinySwap.Supervisor;
using static TinySwap.Tests.Router.RouterHarness;

namespace TinySwap.Tests.Router;

/// <summary>
/// Races admissions through the lock-free gates against swaps, sleeps and unloads from many threads, and checks the
/// one promise that matters: no model is stopped or put to sleep for a swap while a request holds a lease on it.
/// </summary>
public sealed class AdmissionRaceTests
{
    private const int Workers = 6;
    private const int RequestsPerWorker = 1_500;

    [Fact]
    public async Task SwapsRacingAdmissions_NeverEvictAModelWithALeaseOut()
    {
        // One model at a time: every request for the other one is a swap. b sleeps instead of stopping.
        var config = ConfigOf([Model("a"), Model("b") with { Hooks = SleepHooks }], null, c => c with { MaxRunning = 1 });
        var factory = new LeaseCheckingFactory();
        var router = new ModelRouter(config, factory, NullLogger.Instance);
        router.Start();
        await using var _ = router;
        var models = new[] { config.FindModel("a")!, config.FindModel("b")! };

        var returnsToA = 0; // worker 0's grants for a right after one for b: each needs b evicted in between
        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            string? lastGranted = null;
            for (var i = 0; i < RequestsPerWorker; i++)
            {
                // Unloads cut off whatever runs (llama-swap's contract), so they only stir the race: worker 0 unloads
                // a halfway through each of a's runs, while the others are being admitted to it.
                if (worker == 0 && i % 100 == 25)
                    await router.UnloadAsync("a");
                // Every worker runs the same model for a while, so its gate opens and fills; around each change some
                // workers already want the other model, and the swap has to close that full gate.
                var model = models[i / 50 % 2];
                var result = await router.AcquireAsync(model, null, CancellationToken.None);
                if (!result.IsGranted)
                    continue; // an unload refused it while it waited
                factory.Held(model.Id, +1);
                if (worker == 0 && model.Id == "a" && lastGranted == "b")
                    returnsToA++;
                lastGranted = model.Id;
                await router.FlushAsync(); // holds the lease across a pass of the loop, where swaps are decided
                factory.Held(model.Id, -1);
                result.Lease.Release();
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(Patience * 4);
        await router.FlushAsync().WaitAsync(Patience);

        Assert.Empty(factory.Violations);
        // Nothing refuses worker 0's first requests of a run (it unloads only later in the run, and waits for that), so
        // it goes from b back to a at every run of a after the first; b is evicted only by swaps, once for each at least.
        Assert.Equal(RequestsPerWorker / 100 - 1, returnsToA);
        Assert.True(factory.Evictions("b") >= returnsToA, $"{factory.Evictions("b")} evictions of b for {returnsToA} returns to a");
        Assert.All(router.Snapshot(), status => Assert.Equal(0, status.InFlight));
    }

    /// <summary>Processes that start at once and record any eviction that finds a lease out on them.</summary>
    private sealed class LeaseCheckingFactory : IModelProcessFactory
    {
        private readonly Dictionary<string, int[]> _held = new(StringComparer.Ordinal) { ["a"] = [0], ["b"] = [0] };
        private readonly Dictionary<string, int[]> _evictions = new(StringComparer.Ordinal) { ["a"] = [0], ["b"] = [0] };

        public List<string> Violations { get; } = [];
        public int Evictions(string modelId) => Volatile.Read(ref _evictions[modelId][0]);

        public void Held(string modelId, int change) => Interlocked.Add(ref _held[modelId][0], change);

        public IModelProcess Create(ModelConfig config, Action<ModelFault> onFault) => new Process(this, config);

        private void Evicting(string modelId, string how)
        {
            Interlocked.Increment(ref _evictions[modelId][0]);
            var held = Volatile.Read(ref _held[modelId][0]);
            if (held > 0)
            {
                lock (Violations)
                    Violations.Add($"{modelId}: {how} with {held} lease(s) out");
            }
        }

        private sealed class Process(LeaseCheckingFactory factory, ModelConfig config) : IModelProcess
        {
            public ModelConfig Config => config;
            public int? Pid => 1;
            public Task<StartOutcome> StartAsync(CancellationToken cancel) => Task.FromResult(StartOutcome.Ready(TimeSpan.Zero));
            public Task<StartOutcome> WakeAsync(CancellationToken cancel) => StartAsync(cancel);

            public Task<HookOutcome> SleepAsync(CancellationToken cancel)
            {
                factory.Evicting(config.Id, "put to sleep");
                return Task.FromResult(new HookOutcome(true, 0, false, TimeSpan.Zero));
            }

            public Task<StopOutcome> StopAsync(StopReason reason)
            {
                if (reason != StopReason.Unload)
                    factory.Evicting(config.Id, $"stopped ({reason})");
                return Task.FromResult(new StopOutcome(false, 0, TimeSpan.Zero));
            }

            public IReadOnlyList<string> RecentOutput(int maxLines) => [];
        }
    }
}
