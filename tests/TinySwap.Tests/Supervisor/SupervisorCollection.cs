namespace TinySwap.Tests.Supervisor;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SupervisorCollection : ICollectionFixture<ThreadPoolHeadroom>
{
    public const string Name = "Supervisor (spawns processes)";
}

/// <summary>
/// The test host (vstest + xunit) keeps a few thread-pool threads blocked; on a 2-core machine the pool
/// then has none left and every await continuation waits for the pool's starvation injection (~0.5 s
/// per thread) — measured: a bare Task.Delay(20) loop stalls ~400 ms in. Timing-sensitive supervisor
/// tests would measure that instead of the supervisor, so give the pool headroom up front.
/// </summary>
public sealed class ThreadPoolHeadroom
{
    public ThreadPoolHeadroom()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(io, 16));
    }
}
