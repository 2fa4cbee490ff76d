using TinySwap.Contracts;
using TinySwap.Observability;

namespace TinySwap.Proxy;

/// <summary>
/// The route table: (method, request-target) → <see cref="RouteMatch"/>. Paths match byte for byte (no decoding, no
/// trailing-slash folding); the target is origin-form (RFC 9112 §3.2.1), path and optional query.
/// </summary>
internal static class ProxyRoutes
{
    private const RouteKind None = RouteKind.NotFound;

    private static readonly byte[] UpstreamPrefix = "/upstream/"u8.ToArray();
    private static readonly byte[] ModelLogPrefix = "/logs/stream/"u8.ToArray();
    private static readonly byte[] LoadPrefix = "/api/models/load/"u8.ToArray();
    private static readonly byte[] UnloadPrefix = "/api/models/unload/"u8.ToArray();
    private static readonly byte[] ModelPrefix = "/v1/models/"u8.ToArray();
    private static readonly byte[] InflightPrefix = "/api/inflight/"u8.ToArray();
    private static readonly byte[] CancelSuffix = "/cancel"u8.ToArray();
    private static readonly byte[] CapturePrefix = "/api/captures/"u8.ToArray();

    // Methods /upstream/ forwards: anything but TRACE (it would echo our hop's headers back, RFC 9110 §9.3.8) and CONNECT
    // (a tunnel, not a request for a resource). OPTIONS is answered here as a preflight, as llama-swap does everywhere.
    private const RouteMethods UpstreamMethods = RouteMethods.Get | RouteMethods.Head | RouteMethods.Post | RouteMethods.Put
        | RouteMethods.Delete | RouteMethods.Patch | RouteMethods.Options | RouteMethods.Other;

    private static readonly byte[] UpstreamAllow = "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS"u8.ToArray();
    private static readonly byte[] PostAllow = "POST, OPTIONS"u8.ToArray();
    private static readonly byte[] GetAllow = "GET, HEAD, OPTIONS"u8.ToArray();

    /// <summary>Exact paths. Each row: what GET (and HEAD) means there, what POST means there.</summary>
    private static readonly ExactRoute[] Exact =
    [
        // OpenAI and Anthropic shaped inference, llama-server's own endpoints, sd.cpp's: model from the JSON body.
        new("/v1/chat/completions"u8, None, RouteKind.ModelFromJsonBody),
        new("/v1/completions"u8, None, RouteKind.ModelFromJsonBody),
        new("/v1/responses"u8, None, RouteKind.ModelFromJsonBody),
        new("/v1/embeddings"u8, None, RouteKind.ModelFromJsonBody),
        new("/v1/rerank"u8, None, RouteKind.ModelFromJsonBody),
        new("/v1/reranking"u8, None, RouteKind.ModelFromJsonBody),
        new("/rerank"u8, None, RouteKind.ModelFromJsonBody),
        new("/reranking"u8, None, RouteKind.ModelFromJsonBody),
        new("/v1/messages"u8, None, RouteKind.ModelFromJsonBody),
        new("/v1/messages/count_tokens"u8, None, RouteKind.ModelFromJsonBody),
        new("/v1/audio/speech"u8, None, RouteKind.ModelFromJsonBody),
        new("/v1/images/generations"u8, None, RouteKind.ModelFromJsonBody),
        new("/infill"u8, None, RouteKind.ModelFromJsonBody),
        new("/completion"u8, None, RouteKind.ModelFromJsonBody),
        new("/sdapi/v1/txt2img"u8, None, RouteKind.ModelFromJsonBody),
        new("/sdapi/v1/img2img"u8, None, RouteKind.ModelFromJsonBody),

        // Uploads: model from a multipart/form-data field.
        new("/v1/audio/transcriptions"u8, None, RouteKind.ModelFromMultipartForm),
        new("/v1/audio/translations"u8, None, RouteKind.ModelFromMultipartForm),
        new("/v1/images/edits"u8, None, RouteKind.ModelFromMultipartForm),

        // GET routes that name their model in the query, as llama-swap's proxyGETModelHandler serves them.
        new("/v1/audio/voices"u8, RouteKind.ModelFromQuery, RouteKind.ModelFromJsonBody),
        new("/sdapi/v1/loras"u8, RouteKind.ModelFromQuery, None),

        // The control plane: the page, its live streams and the logs (llama-swap's paths).
        new("/"u8, RouteKind.WebPageRedirect, None),
        new("/ui"u8, RouteKind.WebPageRedirect, None),
        new("/ui/"u8, RouteKind.WebPage, None),
        new("/api/events"u8, RouteKind.Events, None),
        new("/logs"u8, RouteKind.Logs, None),
        new("/logs/stream"u8, RouteKind.LogStream, None),

        // tinyswap's own API. No state-changing GET.
        new("/v1/models"u8, RouteKind.ListModels, None),
        new("/models"u8, RouteKind.ListModels, None),
        new("/running"u8, RouteKind.Running, None),
        new("/health"u8, RouteKind.Health, None),
        new("/api/models/unload"u8, None, RouteKind.UnloadAllModels),
        new("/metrics"u8, RouteKind.Metrics, None),
        new("/api/metrics/activity"u8, RouteKind.Activity, None),
        new("/api/metrics/stats"u8, RouteKind.ActivityStats, None),
        new("/api/version"u8, RouteKind.Version, None),

        // llama-swap's scripts unload everything with a GET; the front door refuses it from a foreign page
        // (ProxyHandler.ActsOnModels), since a state-changing GET is otherwise a cross-site hole.
        new("/unload"u8, RouteKind.UnloadAllModels, None),
    ];

    /// <summary>Classifies a request. <paramref name="target"/> is the origin-form request-target (path, then optional <c>?query</c>).</summary>
    public static RouteMatch Match(ReadOnlySpan<byte> method, ReadOnlySpan<byte> target)
    {
        var queryMark = target.IndexOf((byte)'?');
        var path = queryMark < 0 ? target : target[..queryMark];
        var queryStart = queryMark < 0 ? -1 : queryMark + 1;
        var methods = ParseMethod(method);

        foreach (var route in Exact)
        {
            if (path.SequenceEqual(route.Path))
                return Resolve(route, methods, queryStart);
        }

        if (path.Length > ModelLogPrefix.Length && path.StartsWith(ModelLogPrefix))
        {
            var parameter = new ParameterRange(ModelLogPrefix.Length, path.Length - ModelLogPrefix.Length);
            return Choose(RouteMethods.Get | RouteMethods.Head | RouteMethods.Options, methods, RouteKind.ModelLogStream, GetAllow, parameter, queryStart);
        }
        if (path.StartsWith(UpstreamPrefix))
        {
            var parameter = new ParameterRange(UpstreamPrefix.Length, path.Length - UpstreamPrefix.Length);
            return Choose(UpstreamMethods, methods, RouteKind.UpstreamPassthrough, UpstreamAllow, parameter, queryStart);
        }
        if (path.Length > LoadPrefix.Length && path.StartsWith(LoadPrefix))
            return PostWithId(RouteKind.LoadModel, LoadPrefix.Length, path.Length, methods, queryStart);
        if (path.Length > UnloadPrefix.Length && path.StartsWith(UnloadPrefix))
            return PostWithId(RouteKind.UnloadModel, UnloadPrefix.Length, path.Length, methods, queryStart);
        // The id runs to the end of the path: an id such as "org/model" may arrive with its slash unencoded.
        if (path.Length > ModelPrefix.Length && path.StartsWith(ModelPrefix))
        {
            var id = new ParameterRange(ModelPrefix.Length, path.Length - ModelPrefix.Length);
            return Choose(RouteMethods.Get | RouteMethods.Head | RouteMethods.Options, methods, RouteKind.RetrieveModel, GetAllow, id, queryStart);
        }
        if (path.Length > InflightPrefix.Length + CancelSuffix.Length && path.StartsWith(InflightPrefix) && path.EndsWith(CancelSuffix))
            return PostWithId(RouteKind.CancelInflight, InflightPrefix.Length, path.Length - CancelSuffix.Length, methods, queryStart);
        if (path.Length > CapturePrefix.Length && path.StartsWith(CapturePrefix))
        {
            var id = new ParameterRange(CapturePrefix.Length, path.Length - CapturePrefix.Length);
            return Choose(RouteMethods.Get | RouteMethods.Head | RouteMethods.Options, methods, RouteKind.Capture, GetAllow, id, queryStart);
        }

        return new RouteMatch(RouteKind.NotFound, null, default, queryStart);
    }

    /// <summary>
    /// The route's label for metrics and the activity list: one of the table's own paths (or its prefixes for routes
    /// with parameters), else <see cref="RequestTrace.OtherRoute"/>. Never a client's path: labels must stay bounded.
    /// </summary>
    public static string Label(ReadOnlySpan<byte> path, RouteKind kind)
    {
        foreach (var route in Exact)
        {
            if (path.SequenceEqual(route.Path))
                return route.Label;
        }
        return kind switch
        {
            RouteKind.UpstreamPassthrough => "/upstream/",
            RouteKind.LoadModel => "/api/models/load/",
            RouteKind.UnloadModel => "/api/models/unload/",
            RouteKind.CancelInflight => "/api/inflight/",
            RouteKind.Capture => "/api/captures/",
            _ when path.StartsWith(UpstreamPrefix) => "/upstream/",
            _ => RequestTrace.OtherRoute,
        };
    }

    /// <summary>Maps a method token to its flag; tokens are case-sensitive (RFC 9110 §9.1), so "get" is an extension method.</summary>
    public static RouteMethods ParseMethod(ReadOnlySpan<byte> method) => method.Length switch
    {
        3 when method.SequenceEqual("GET"u8) => RouteMethods.Get,
        3 when method.SequenceEqual("PUT"u8) => RouteMethods.Put,
        4 when method.SequenceEqual("POST"u8) => RouteMethods.Post,
        4 when method.SequenceEqual("HEAD"u8) => RouteMethods.Head,
        5 when method.SequenceEqual("PATCH"u8) => RouteMethods.Patch,
        5 when method.SequenceEqual("TRACE"u8) => RouteMethods.Trace,
        6 when method.SequenceEqual("DELETE"u8) => RouteMethods.Delete,
        7 when method.SequenceEqual("OPTIONS"u8) => RouteMethods.Options,
        7 when method.SequenceEqual("CONNECT"u8) => RouteMethods.Connect,
        _ => RouteMethods.Other,
    };

    private static RouteMatch Resolve(ExactRoute route, RouteMethods method, int queryStart)
    {
        // HEAD is served wherever GET is (RFC 9110 §9.1: general-purpose servers MUST support both).
        var kind = method switch
        {
            RouteMethods.Get or RouteMethods.Head => route.OnGet,
            RouteMethods.Post => route.OnPost,
            RouteMethods.Options => RouteKind.Preflight,
            _ => RouteKind.NotFound,
        };
        return kind == RouteKind.NotFound
            ? new RouteMatch(RouteKind.MethodNotAllowed, route.Allow, default, queryStart)
            : new RouteMatch(kind, route.Allow, default, queryStart);
    }

    private static RouteMatch PostWithId(RouteKind kind, int prefixLength, int pathLength, RouteMethods method, int queryStart)
        => Choose(RouteMethods.Post | RouteMethods.Options, method, kind, PostAllow,
            new ParameterRange(prefixLength, pathLength - prefixLength), queryStart);

    private static RouteMatch Choose(RouteMethods allowed, RouteMethods method, RouteKind kind, byte[] allow, ParameterRange parameter, int queryStart)
    {
        if ((allowed & method) == 0)
            return new RouteMatch(RouteKind.MethodNotAllowed, allow, default, queryStart);
        return new RouteMatch(method == RouteMethods.Options ? RouteKind.Preflight : kind, allow, parameter, queryStart);
    }

    private sealed class ExactRoute
    {
        public ExactRoute(ReadOnlySpan<byte> path, RouteKind onGet, RouteKind onPost)
        {
            Path = path.ToArray();
            Label = System.Text.Encoding.ASCII.GetString(path);
            OnGet = onGet;
            OnPost = onPost;
            Allow = (onGet, onPost) switch
            {
                (None, _) => PostAllow,
                (_, None) => GetAllow,
                _ => "GET, HEAD, POST, OPTIONS"u8.ToArray(),
            };
        }

        public byte[] Path { get; }
        public string Label { get; }
        public RouteKind OnGet { get; }
        public RouteKind OnPost { get; }
        public byte[] Allow { get; }
    }
}
