using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using TinySwap.Api;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Proxy;

namespace TinySwap.Tests.Proxy;

/// <summary>Name resolution: profile pins first, then ids, aliases and setParamsByID names; and what each route sends upstream.</summary>
public sealed class ModelResolverTests
{
    private static readonly ModelConfig Thinker = TestModels.Model("thinker", "thinker:high", "quiet") with
    {
        SetParams = [new("temperature", "0.7")],
        SetParamsById = [new ParamsById("thinker:high", [new("effort", "\"high\""), new("temperature", "0.1")])],
    };

    private static readonly ModelConfig Named = TestModels.Model("named", "org/named") with { UseModelName = "upstream-name" };

    private static readonly ProfileConfig Coding = new()
    {
        Name = "coding",
        Pins = [new("llm", "thinker:high"), new("off", null), new("named", "thinker"), new("org", "named"), new("far", "peer/model")],
    };

    private static readonly TinySwapConfig Config = TestModels.Config(Thinker, Named) with { Profiles = [Coding] };
    private static readonly ProxyCatalog Catalog = new(Config);

    [Fact]
    public void WithoutProfile_NamesResolveToTheirRoute_WithTheirSetParamsByIdEntry()
    {
        var resolver = Catalog.Resolver(null);
        var high = resolver.Resolve("thinker:high");
        Assert.Equal(ResolveStatus.Found, high.Status);
        Assert.Same(Thinker, high.Route!.Model);
        Assert.Equal("thinker:high", high.Route.Variant!.Name);
        Assert.Null(high.Route.RenamedTo);
        Assert.Null(resolver.Resolve("quiet").Route!.Variant);

        var unknown = resolver.Resolve("llm");
        Assert.Equal(ResolveStatus.Unknown, unknown.Status);
        Assert.StartsWith("model 'llm' not found", unknown.Message);
    }

    [Fact]
    public void ActiveProfile_PinsComeFirst_RenameToTheTarget_OrSwitchTheNameOff()
    {
        var resolver = Catalog.Resolver(Coding);

        var llm = resolver.Resolve("llm").Route!;
        Assert.Same(Thinker, llm.Model);
        Assert.Equal("thinker:high", llm.Variant!.Name);
        Assert.Equal("thinker:high", llm.UpstreamName);

        // A pin shadows the model id of the same name; useModelName still wins as the upstream's name.
        var shadowed = resolver.Resolve("named").Route!;
        Assert.Same(Thinker, shadowed.Model);
        Assert.Equal("upstream-name", resolver.Resolve("org").Route!.UpstreamName);

        var off = resolver.Resolve("off");
        Assert.Equal((ResolveStatus.SwitchedOff, "model 'off' is switched off while profile 'coding' is active"), (off.Status, off.Message));
        var far = resolver.ResolveUtf8("far"u8);
        Assert.Equal(ResolveStatus.Unknown, far.Status);
        Assert.StartsWith("model 'peer/model' not found", far.Message);
    }

    [Fact]
    public void PinToASelector_TheSelectorPicksAndTheRequestIsRenamedToItsTarget()
    {
        var selector = new SelectorConfig
        {
            Id = "best",
            Strategy = SelectorStrategy.Pin,
            Targets = [new SelectorTarget("thinker:high", "thinker", "thinker")],
        };
        var profile = new ProfileConfig { Name = "p", Pins = [new("llm", "best")] };
        var catalog = new ProxyCatalog(Config with { Selectors = [selector], Profiles = [profile] });
        var states = new AllStopped();

        var resolved = catalog.Resolver(profile, states).Resolve("llm");
        Assert.Equal(ResolveStatus.Found, resolved.Status);
        Assert.Same(selector, resolved.Pick.Selector);
        Assert.Equal(("thinker:high", "thinker:high"), (resolved.Route!.RenamedTo, resolved.Route.Variant!.Name));
        // Without the profile, the selector answers under its own id.
        Assert.Equal("thinker:high", catalog.Resolver(null, states).Resolve("best").Route!.RenamedTo);
    }

    [Fact]
    public void ProfileOfAnotherConfig_CountsAsNone()
    {
        // A reload builds new profile records, even for an unchanged file.
        var reloaded = new ProxyCatalog(Config with { Profiles = [Coding with { }] });
        Assert.Null(reloaded.Resolver(Coding).Pins);
        var active = new ActiveProfile();
        active.Select(Config, Coding);
        Assert.Same(Coding, active.For(Config));
        Assert.Null(active.For(reloaded.Config));
    }

    [Theory]
    [InlineData("llm/v1/models", "thinker", "/v1/models")]
    [InlineData("org/named/x", "named", "/named/x")]
    [InlineData("org%2Fnamed/x", "named", "/x")]
    [InlineData("thinker/x", "thinker", "/x")]
    public void UpstreamPath_LongestPinPrefixWinsOverModelNames(string path, string model, string rest)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        var target = UpstreamPath.Resolve(bytes, Catalog.Resolver(Coding));
        Assert.Equal((UpstreamPathStatus.Found, model, rest), (target.Status, target.Model?.Id, Encoding.UTF8.GetString(bytes.AsSpan(target.RestStart))));
    }

    [Fact]
    public void UpstreamPath_SwitchedOffPin_IsUnknownWithTheReason()
    {
        var target = UpstreamPath.Resolve("off/x"u8, Catalog.Resolver(Coding));
        Assert.Equal(UpstreamPathStatus.UnknownModel, target.Status);
        Assert.Equal("model 'off' is switched off while profile 'coding' is active", target.Message);
    }

    private static ProxyCatalog WithPeer(TinySwapConfig config)
    {
        PeerConfig peer = new() { Id = "peer", Proxy = new Uri("http://127.0.0.1:9/"), Models = ["model", "thinker"] };
        return new ProxyCatalog(config with { Peers = [peer], PeerModels = new PeerIndex([peer]) });
    }

    [Fact]
    public void PeerModels_AreTheLastStep_LocalNamesWin_AndAPinMayTargetOne()
    {
        var catalog = WithPeer(Config);
        var plain = catalog.Resolver(null);
        Assert.Same(Thinker, plain.Resolve("thinker").Route!.Model);
        Assert.Null(plain.Resolve("thinker").Peer);
        var qualified = plain.Resolve("peer/thinker");
        Assert.Equal((ResolveStatus.Found, null, "thinker"), (qualified.Status, qualified.Route, qualified.Peer?.ModelId));
        Assert.Equal("model", plain.ResolveUtf8("model"u8).Peer?.ModelId);

        var far = catalog.Resolver(Coding).ResolveUtf8("far"u8);
        Assert.Equal((ResolveStatus.Found, "peer/model"), (far.Status, far.Peer?.QualifiedName));
        var upstream = UpstreamPath.Resolve("far/v1/models"u8, catalog.Resolver(Coding));
        Assert.Equal((UpstreamPathStatus.Found, "peer/model", 3), (upstream.Status, upstream.Peer?.QualifiedName, upstream.RestStart));
        var bare = UpstreamPath.Resolve("peer/model/x"u8, plain);
        Assert.Equal((UpstreamPathStatus.Found, "peer/model", "/x"), (bare.Status, bare.Peer?.QualifiedName, Encoding.UTF8.GetString("peer/model/x"u8[bare.RestStart..])));
        Assert.Equal(UpstreamPathStatus.NeedsTrailingSlash, UpstreamPath.Resolve("peer/model"u8, plain).Status);
    }

    [Fact]
    public void SelectorTargetingAPeerModel_ResolvesToThePeer_KeepingThePick()
    {
        var selector = new SelectorConfig
        {
            Id = "best",
            Strategy = SelectorStrategy.Pin,
            Targets = [new SelectorTarget("peer/model", null, "peer/model")],
        };
        var catalog = WithPeer(Config with { Selectors = [selector] });
        var resolved = catalog.Resolver(null, new AllStopped()).Resolve("best");
        Assert.Equal((ResolveStatus.Found, "peer/model"), (resolved.Status, resolved.Peer?.QualifiedName));
        Assert.Same(selector, resolved.Pick.Selector);
        resolved.Pick.Release();
    }

    [Fact]
    public void BodyFilter_SetParamsByIdOverridesSetParams_AndThePinTargetBecomesTheModel()
    {
        var body = """{"model":"llm","temperature":1,"messages":[]}"""u8.ToArray();
        var output = new ArrayBufferWriter<byte>();
        var route = Catalog.Resolver(Coding).Resolve("llm").Route!;
        Assert.Equal(RewriteStatus.Rewritten, RequestBodyRewriter.Rewrite(new ReadOnlySequence<byte>(body), route.BodyFilter, output, out _));
        Assert.Equal("""{"model":"thinker:high","temperature":0.1,"messages":[],"effort":"high"}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("""{"name":"coding"}""", "coding", null)]
    [InlineData("""{"x":{"name":1},"name":null}""", null, null)]
    [InlineData("""{"name":""}""", "", null)]
    [InlineData("""{"profile":"coding"}""", null, "profile name is required")]
    [InlineData("""{"name":["coding"]}""", null, "profile name must be a string or null")]
    [InlineData("""["coding"]""", null, "invalid profile request")]
    [InlineData("""{"name":"coding"} {}""", null, "invalid profile request")]
    [InlineData("", null, "invalid profile request")]
    public void ProfileRequest_ParsesLikeLlamaSwap(string body, string? name, string? error)
        => Assert.Equal(new ProfileRequest(name, error), ProfileRequest.Parse(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void ModelList_AliasNamesUnlistedAliasesAndActivePins()
    {
        var model = TestModels.Model("m", "named", "hidden", "plain") with
        {
            Name = "Model",
            AliasNames = [new("named", "Alias name")],
            UnlistedAliases = ["hidden"],
        };
        var profile = new ProfileConfig { Name = "p", Pins = [new("pin", "named"), new("plain", "m"), new("gone", null)] };
        var config = TestModels.Config(includeAliases: true, model);
        var output = new ArrayBufferWriter<byte>();
        ModelListWriter.Write(output, config, [], 1, profile);

        using var document = System.Text.Json.JsonDocument.Parse(output.WrittenMemory);
        var entries = document.RootElement.GetProperty("data").EnumerateArray()
            .Select(e => (e.GetProperty("id").GetString(), e.TryGetProperty("name", out var n) ? n.GetString() : null)).ToArray();
        Assert.Equal([("m", "Model"), ("named", "Alias name"), ("pin", null), ("plain", "Model")], entries);
    }

    [Fact]
    public void Routes_ProfilesIsGet_ActiveIsPut()
    {
        Assert.Equal(RouteKind.Profiles, ProxyRoutes.Match("GET"u8, "/api/profiles"u8).Kind);
        Assert.Equal(RouteKind.ActivateProfile, ProxyRoutes.Match("PUT"u8, "/api/profiles/active"u8).Kind);
        var post = ProxyRoutes.Match("POST"u8, "/api/profiles/active"u8);
        Assert.Equal(RouteKind.MethodNotAllowed, post.Kind);
        Assert.Equal("PUT, OPTIONS", Encoding.ASCII.GetString(post.Allow));
        Assert.Equal("/api/profiles/active", ProxyRoutes.Label("/api/profiles/active"u8, RouteKind.ActivateProfile));
    }

    private sealed class AllStopped : IModelStateReader
    {
        public ModelState StateOf(string modelId) => ModelState.Stopped;
    }
}
