using System.Text;
using TinySwap.Proxy;
using TinySwap.Contracts;

namespace TinySwap.Tests.Proxy;

public sealed class ProxyRoutesTests
{
    public static TheoryData<string> JsonBodyPaths => new()
    {
        "/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/embeddings", "/v1/rerank", "/v1/reranking",
        "/rerank", "/reranking", "/v1/messages", "/v1/messages/count_tokens", "/v1/audio/speech",
        "/v1/images/generations", "/infill", "/completion", "/sdapi/v1/txt2img", "/sdapi/v1/img2img", "/v1/audio/voices",
    };

    public static TheoryData<string> MultipartPaths => new() { "/v1/audio/transcriptions", "/v1/audio/translations", "/v1/images/edits" };

    public static TheoryData<string> QueryPaths => new() { "/v1/audio/voices", "/sdapi/v1/loras" };

    private static RouteMatch Match(string method, string target)
        => ProxyRoutes.Match(Encoding.ASCII.GetBytes(method), Encoding.ASCII.GetBytes(target));

    private static string Allow(RouteMatch match) => Encoding.ASCII.GetString(match.Allow);

    [Theory]
    [MemberData(nameof(JsonBodyPaths))]
    public void Post_JsonInferencePath_ReadsModelFromJsonBody(string path)
        => Assert.Equal(RouteKind.ModelFromJsonBody, Match("POST", path).Kind);

    [Theory]
    [MemberData(nameof(MultipartPaths))]
    public void Post_UploadPath_ReadsModelFromMultipartForm(string path)
        => Assert.Equal(RouteKind.ModelFromMultipartForm, Match("POST", path).Kind);

    [Theory]
    [MemberData(nameof(QueryPaths))]
    public void Get_QueryModelPath_ReadsModelFromQuery(string path)
    {
        Assert.Equal(RouteKind.ModelFromQuery, Match("GET", path + "?model=a").Kind);
        Assert.Equal(RouteKind.ModelFromQuery, Match("HEAD", path).Kind);
    }

    [Theory]
    [MemberData(nameof(JsonBodyPaths))]
    [MemberData(nameof(MultipartPaths))]
    public void Get_PostOnlyInferencePath_Is405WithAllow(string path)
    {
        if (path == "/v1/audio/voices")
            return; // GET is served there (?model=)
        var match = Match("GET", path);
        Assert.Equal(RouteKind.MethodNotAllowed, match.Kind);
        Assert.Equal("POST, OPTIONS", Allow(match));
    }

    [Theory]
    [InlineData("GET", "/v1/models", nameof(RouteKind.ListModels))]
    [InlineData("HEAD", "/v1/models", nameof(RouteKind.ListModels))]
    [InlineData("GET", "/models", nameof(RouteKind.ListModels))]
    [InlineData("GET", "/v1/models/llama", nameof(RouteKind.RetrieveModel))]
    [InlineData("HEAD", "/v1/models/llama", nameof(RouteKind.RetrieveModel))]
    [InlineData("GET", "/v1/models/", nameof(RouteKind.NotFound))]
    [InlineData("GET", "/models/llama", nameof(RouteKind.NotFound))]
    [InlineData("GET", "/running", nameof(RouteKind.Running))]
    [InlineData("GET", "/health", nameof(RouteKind.Health))]
    [InlineData("HEAD", "/health", nameof(RouteKind.Health))]
    [InlineData("POST", "/api/models/unload", nameof(RouteKind.UnloadAllModels))]
    [InlineData("POST", "/api/models/unload/llama", nameof(RouteKind.UnloadModel))]
    [InlineData("POST", "/api/models/load/llama", nameof(RouteKind.LoadModel))]
    [InlineData("GET", "/unload", nameof(RouteKind.UnloadAllModels))] // llama-swap's; refused cross-site by the front door
    [InlineData("GET", "/metrics", nameof(RouteKind.Metrics))]
    [InlineData("GET", "/api/metrics/activity?limit=5", nameof(RouteKind.Activity))]
    [InlineData("GET", "/api/metrics/stats", nameof(RouteKind.ActivityStats))]
    [InlineData("GET", "/api/version", nameof(RouteKind.Version))]
    [InlineData("POST", "/api/inflight/42/cancel", nameof(RouteKind.CancelInflight))]
    [InlineData("GET", "/api/captures/42", nameof(RouteKind.Capture))]
    [InlineData("POST", "/api/captures/42", nameof(RouteKind.MethodNotAllowed))]
    [InlineData("GET", "/api/captures/", nameof(RouteKind.NotFound))]
    public void ApiRoutes_MapToTheirKind(string method, string target, string expected)
        => Assert.Equal(Enum.Parse<RouteKind>(expected), Match(method, target).Kind);

    [Theory]
    [InlineData("/v1/models/llama", "llama")]
    [InlineData("/v1/models/org/model?x=1", "org/model")]
    [InlineData("/v1/models/org%2Fmodel", "org%2Fmodel")]
    public void RetrieveModel_IdIsTheRestOfThePath(string target, string id)
    {
        var match = Match("GET", target);

        Assert.Equal(RouteKind.RetrieveModel, match.Kind);
        Assert.Equal(id, Encoding.ASCII.GetString(match.Parameter(Encoding.ASCII.GetBytes(target))));
    }

    [Theory]
    [InlineData("POST", "/v1/models", "GET, HEAD, OPTIONS")]
    [InlineData("POST", "/running", "GET, HEAD, OPTIONS")]
    [InlineData("POST", "/models", "GET, HEAD, OPTIONS")]
    [InlineData("DELETE", "/v1/models/llama", "GET, HEAD, OPTIONS")]
    [InlineData("DELETE", "/health", "GET, HEAD, OPTIONS")]
    [InlineData("GET", "/api/models/unload", "POST, OPTIONS")]
    [InlineData("GET", "/api/models/unload/llama", "POST, OPTIONS")]
    [InlineData("GET", "/api/models/load/llama", "POST, OPTIONS")]
    [InlineData("PUT", "/v1/audio/voices", "GET, HEAD, POST, OPTIONS")]
    [InlineData("POST", "/unload", "GET, HEAD, OPTIONS")]
    [InlineData("GET", "/api/inflight/42/cancel", "POST, OPTIONS")]
    public void WrongMethodOnKnownPath_Is405WithAllow(string method, string target, string allow)
    {
        var match = Match(method, target);
        Assert.Equal(RouteKind.MethodNotAllowed, match.Kind);
        Assert.Equal(allow, Allow(match));
    }

    [Theory]
    [InlineData("/", nameof(RouteKind.WebPageRedirect))]
    [InlineData("/ui", nameof(RouteKind.WebPageRedirect))]
    [InlineData("/ui/", nameof(RouteKind.WebPage))]
    [InlineData("/api/events", nameof(RouteKind.Events))]
    [InlineData("/logs", nameof(RouteKind.Logs))]
    [InlineData("/logs/stream", nameof(RouteKind.LogStream))]
    [InlineData("/logs/stream?no-history", nameof(RouteKind.LogStream))]
    [InlineData("/logs/stream/org%2Fmodel", nameof(RouteKind.ModelLogStream))]
    public void ControlPlanePaths_AreGetOnly(string target, string kindName)
    {
        var kind = Enum.Parse<RouteKind>(kindName);
        Assert.Equal(kind, Match("GET", target).Kind);
        Assert.Equal(kind, Match("HEAD", target).Kind);
        Assert.Equal(RouteKind.MethodNotAllowed, Match("POST", target).Kind);
    }

    [Fact]
    public void ModelLogStream_ParameterIsTheRawId()
    {
        var target = "/logs/stream/org%2Fmodel"u8;
        Assert.Equal("org%2Fmodel"u8.ToArray(), Match("GET", "/logs/stream/org%2Fmodel").Parameter(target).ToArray());
    }

    [Theory]
    [InlineData("/v1/chat/completions/")]
    [InlineData("/V1/chat/completions")]
    [InlineData("/v1/chat%2Fcompletions")]
    [InlineData("//v1/chat/completions")]
    [InlineData("")]
    [InlineData("/upstream")]
    [InlineData("/api/models/load")]
    [InlineData("/api/models/load/")]
    [InlineData("/api/models/unload/")]
    [InlineData("/api/inflight/42")]
    [InlineData("/api/inflight//cancel")]
    [InlineData("/logs/")]
    [InlineData("/logs/stream/")]
    [InlineData("/ui/index.html")]
    public void UnknownPath_IsNotFound(string target)
    {
        var match = Match("POST", target);
        Assert.Equal(RouteKind.NotFound, match.Kind);
        Assert.True(match.Allow.IsEmpty);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("Post")]
    [InlineData("BREW")]
    public void MethodsAreCaseSensitive_SoLowercaseIsNotPost(string method)
        => Assert.Equal(RouteKind.MethodNotAllowed, Match(method, "/v1/chat/completions").Kind);

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("PROPFIND")]
    public void Upstream_ForwardsAnyOrdinaryMethod(string method)
    {
        const string target = "/upstream/org/model/v1/x?y=1";
        var match = Match(method, target);
        Assert.Equal(RouteKind.UpstreamPassthrough, match.Kind);
        Assert.Equal("org/model/v1/x", Encoding.ASCII.GetString(match.Parameter(Encoding.ASCII.GetBytes(target))));
        Assert.Equal("y=1", Encoding.ASCII.GetString(match.Query(Encoding.ASCII.GetBytes(target))));
    }

    [Theory]
    [InlineData("TRACE")]
    [InlineData("CONNECT")]
    public void Upstream_RefusesTraceAndConnect(string method)
    {
        var match = Match(method, "/upstream/m/x");
        Assert.Equal(RouteKind.MethodNotAllowed, match.Kind);
        Assert.Equal("GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS", Allow(match));
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/models")]
    [InlineData("/upstream/m/x")]
    [InlineData("/api/models/load/m")]
    public void Options_OnKnownPath_IsPreflight(string target)
    {
        var match = Match("OPTIONS", target);
        Assert.Equal(RouteKind.Preflight, match.Kind);
        Assert.False(match.Allow.IsEmpty);
    }

    [Fact]
    public void Options_OnUnknownPath_IsNotFound()
        => Assert.Equal(RouteKind.NotFound, Match("OPTIONS", "/nope").Kind);

    [Fact]
    public void Query_IsSplitOffBeforeMatching()
    {
        const string target = "/v1/models?x=1&y=2";
        var match = Match("GET", target);
        Assert.Equal(RouteKind.ListModels, match.Kind);
        Assert.True(match.HasQuery);
        Assert.Equal("x=1&y=2", Encoding.ASCII.GetString(match.Query(Encoding.ASCII.GetBytes(target))));
    }

    [Fact]
    public void EmptyQuery_IsStillAQuery()
    {
        var match = Match("GET", "/v1/models?");
        Assert.Equal(RouteKind.ListModels, match.Kind);
        Assert.True(match.HasQuery);
        Assert.True(match.Query("/v1/models?"u8).IsEmpty);
    }

    [Fact]
    public void NoQuery_HasNone()
    {
        var match = Match("GET", "/v1/models");
        Assert.False(match.HasQuery);
        Assert.True(match.Query("/v1/models"u8).IsEmpty);
    }

    [Fact]
    public void ModelIdRoutes_ExposeTheRawIdIncludingSlashes()
    {
        const string target = "/api/models/unload/org%2Fa/b?now=1";
        var match = Match("POST", target);
        Assert.Equal(RouteKind.UnloadModel, match.Kind);
        Assert.Equal("org%2Fa/b", Encoding.ASCII.GetString(match.Parameter(Encoding.ASCII.GetBytes(target))));
    }

    [Fact]
    public void UpstreamWithNothingAfterPrefix_HasEmptyParameter()
    {
        var match = Match("GET", "/upstream/");
        Assert.Equal(RouteKind.UpstreamPassthrough, match.Kind);
        Assert.True(match.Parameter("/upstream/"u8).IsEmpty);
    }
}
