using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using TinySwap.Http.Transport;

namespace TinySwap.Tests.Http.Transport;

/// <summary>
/// The builder behaves as the runtime's async methods do (results, exceptions, the execution context), and a call that
/// suspended hands its box back for the next calls: many suspended at once allocate no new boxes once warm.
/// </summary>
public sealed class DeepPoolingValueTaskMethodBuilderTests
{
    private static readonly AsyncLocal<string?> s_flowing = new();

    [Fact]
    public async Task CompletingWithoutSuspending_ReturnsTheResult()
    {
        Assert.Equal(7, await AddAsync(null, 7));
        await NothingAsync(null);
    }

    [Fact]
    public async Task CompletingAfterSuspending_ReturnsTheResult()
    {
        Gate gate = new(), other = new();
        var pending = AddAsync(gate, 7);
        var nothing = NothingAsync(other);
        Assert.False(pending.IsCompleted);
        Assert.False(nothing.IsCompleted);

        gate.Open();
        other.Open();

        Assert.Equal(8, await pending);
        await nothing;
    }

    [Fact]
    public async Task ThrowingBeforeOrAfterSuspending_SurfacesTheException()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await ThrowAsync(null));
        var gate = new Gate();
        var pending = ThrowAsync(gate);
        gate.Open();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await pending);
    }

    [Fact]
    public async Task AsyncLocalSetBeforeTheAwait_IsSeenAfterIt_EvenWhenResumedOnAnotherThread()
    {
        var gate = new Gate();
        s_flowing.Value = "caller";
        var pending = ReadFlowingAfterAsync(gate);
        s_flowing.Value = null;

        await Task.Run(gate.Open);

        Assert.Equal("caller", await pending);
    }

    [Fact]
    public async Task ManyCallsSuspendedAtOnce_ReuseTheirBoxes_OnceWarm()
    {
        const int concurrent = 32;   // under BoxesPerThread
        var gates = new Gate[concurrent];
        var pending = new ValueTask<int>[concurrent];
        for (var i = 0; i < concurrent; i++)
            gates[i] = new Gate();
        var wrong = 0;
        void Round()
        {
            for (var i = 0; i < concurrent; i++)
            {
                gates[i].Reset();
                pending[i] = AddAsync(gates[i], i);
            }
            for (var i = 0; i < concurrent; i++)
            {
                gates[i].Open();
                if (!pending[i].IsCompleted || pending[i].Result != i + 1)
                    wrong++;
            }
        }

        // On a pool thread, without the test framework's synchronization context: every call resumes inline, on the
        // thread that opened its gate, as on the proxy's one event thread.
        var allocated = await Task.Run(() =>
        {
            Round();
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var round = 0; round < 10; round++)
                Round();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        });

        Assert.Equal(0, wrong);
        Assert.Equal(0, allocated);
    }

    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    private static async ValueTask<int> AddAsync(Gate? gate, int value)
    {
        if (gate is not null)
        {
            await gate.WaitAsync();
            value++;
        }
        return value;
    }

    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder))]
    private static async ValueTask NothingAsync(Gate? gate)
    {
        if (gate is not null)
            await gate.WaitAsync();
    }

    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder))]
    private static async ValueTask ThrowAsync(Gate? gate)
    {
        if (gate is not null)
            await gate.WaitAsync();
        throw new InvalidOperationException("thrown");
    }

    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    private static async ValueTask<string?> ReadFlowingAfterAsync(Gate gate)
    {
        await gate.WaitAsync();
        return s_flowing.Value;
    }

    /// <summary>An awaitable that completes when opened, reusable, allocating nothing per wait.</summary>
    private sealed class Gate : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core;

        public ValueTask WaitAsync() => new(this, _core.Version);
        public void Open() => _core.SetResult(true);
        public void Reset() => _core.Reset();

        public void GetResult(short token) => _core.GetResult(token);
        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);
        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
