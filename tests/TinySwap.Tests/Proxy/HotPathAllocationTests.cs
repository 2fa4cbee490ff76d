using TinySwap.Http;
using System.Buffers;
using TinySwap.Proxy;
using TinySwap.Proxy.Security;
using TinySwap.Contracts;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Proxy;

/// <summary>The per-request pieces must not allocate once warm (measured on this thread, not timed).</summary>
public sealed class HotPathAllocationTests
{
    private static readonly TinySwap.Config.ProfileConfig Profile = new() { Name = "p", Pins = [new("pinned", "llama"), new("off", null)] };

    private static readonly TinySwap.Config.TinySwapConfig Config = TestModels.Config(
        TestModels.Model("org/llama-8b", "llama") with { ConcurrencyLimit = 4, StripParams = ["temperature"] }) with { Profiles = [Profile] };

    private static long AllocatedBy(Action action)
    {
        action(); // warm up: JIT, static constructors, caches
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void ModelDispatchPath_AllocatesNothing()
    {
        var catalog = new ProxyCatalog(Config);
        var limiter = new ConcurrencyLimiter();
        var body = Sequences.Chunked("""{"model":"llama","messages":[{"role":"user","content":"hi"}],"stream":true}"""u8.ToArray(), 7);
        var method = "POST"u8.ToArray();
        var target = "/v1/chat/completions"u8.ToArray();

        var ok = true;
        var allocated = AllocatedBy(() =>
        {
            // No Assert inside: xunit's comparers allocate.
            var match = ProxyRoutes.Match(method, target);
            Span<char> name = stackalloc char[256];
            var result = JsonModelReader.Read(body, name);
            var route = catalog.Resolver(null).Resolve(name[..result.ModelLength]).Route;
            ok &= match.Kind == RouteKind.ModelFromJsonBody && route is not null && route.BodyFilter is not null;
            // With a profile active: the pin's route, built with the catalog.
            ok &= catalog.Resolver(Profile).Resolve("pinned").Route?.RenamedTo == "llama";
            ok &= limiter.TryEnter(route!.Model, out var slot);
            slot.Release();
        });
        Assert.True(ok);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void QueryAndUpstreamPaths_AllocateNothing()
    {
        var index = new ModelNameIndex(Config);
        var query = "x=1&model=org%2Fllama-8b"u8.ToArray();
        var upstream = "org/llama-8b/v1/props"u8.ToArray();
        var pinned = new ProxyCatalog(Config).Resolver(Profile);

        var ok = true;
        var allocated = AllocatedBy(() =>
        {
            Span<byte> name = stackalloc byte[256];
            ok &= QueryModel.Find(query, name, out var length) == QueryModelStatus.Found;
            ok &= index.FindUtf8(name[..length]) is not null;
            ok &= UpstreamPath.Resolve(upstream, index).Status == UpstreamPathStatus.Found;
            ok &= UpstreamPath.Resolve(upstream, pinned).Status == UpstreamPathStatus.Found;
            ok &= UpstreamPath.Resolve("pinned/v1/props"u8, pinned).Model is not null;
        });
        Assert.True(ok);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void CachedErrorBody_AllocatesNothing()
    {
        var output = new ArrayBufferWriter<byte>(1 << 16);
        var allocated = AllocatedBy(() => output.Write(OpenAiError.ForStatus(429).DefaultBody.Span));
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void HostCheck_OfIpLiterals_AllocatesNothing()
    {
        var hosts = new HostAllowList(["127.0.0.1:8080"], []);
        var v4 = "127.0.0.1:8080"u8.ToArray();
        var v6 = "[::1]:8080"u8.ToArray();

        var ok = true;
        var allocated = AllocatedBy(() => ok &= hosts.Allows(v4) && hosts.Allows(v6));
        Assert.True(ok);
        Assert.Equal(0, allocated);
    }
}
