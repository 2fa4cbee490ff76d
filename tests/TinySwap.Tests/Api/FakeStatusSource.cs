using TinySwap.Router;
using TinySwap.Contracts;

namespace TinySwap.Tests.Api;

/// <summary>A status source that returns whatever the test set.</summary>
internal sealed class FakeStatusSource(params ModelStatus[] statuses) : IModelStatusSource
{
    public IReadOnlyList<ModelStatus> Snapshot() => statuses;
}
