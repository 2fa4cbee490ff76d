namespace TinySwap.Contracts;

/// <summary>What the front door does with a request, decided from its method and path alone.</summary>
internal enum RouteKind : byte
{
    /// <summary>No such path: 404.</summary>
    NotFound,

    /// <summary>Known path, method not served there: 405 with <see cref="RouteMatch.Allow"/>.</summary>
    MethodNotAllowed,

    /// <summary>OPTIONS on a known path: a CORS preflight answered by tinyswap itself (204), never forwarded.</summary>
    Preflight,

    /// <summary>Model named by the top-level <c>model</c> string of a JSON body (<c>JsonModelReader</c>).</summary>
    ModelFromJsonBody,

    /// <summary>Model named by the <c>model</c> field of a multipart/form-data body (<c>MultipartModelReader</c>).</summary>
    ModelFromMultipartForm,

    /// <summary>Model named by the <c>?model=</c> query parameter (<c>QueryModel</c>).</summary>
    ModelFromQuery,

    /// <summary><c>/upstream/{model}/{path…}</c>: raw passthrough; <see cref="RouteMatch.Parameter"/> is everything after <c>/upstream/</c> (<c>UpstreamPath</c>).</summary>
    UpstreamPassthrough,

    /// <summary>GET /v1/models (and /models, as llama-swap serves it).</summary>
    ListModels,

    /// <summary>GET /v1/models/{id} (OpenAI's retrieve); <see cref="RouteMatch.Parameter"/> is the percent-encoded id.</summary>
    RetrieveModel,

    /// <summary>GET /running.</summary>
    Running,

    /// <summary>POST /api/models/load/{id}; <see cref="RouteMatch.Parameter"/> is the percent-encoded id.</summary>
    LoadModel,

    /// <summary>POST /api/models/unload.</summary>
    UnloadAllModels,

    /// <summary>POST /api/models/unload/{id}; <see cref="RouteMatch.Parameter"/> is the percent-encoded id.</summary>
    UnloadModel,

    /// <summary>GET /api/events: Server-Sent Events of model states, swaps, requests and log lines.</summary>
    Events,

    /// <summary>GET /logs: the kept log lines as text.</summary>
    Logs,

    /// <summary>GET /logs/stream: the kept log lines, then new ones as they come (chunked text).</summary>
    LogStream,

    /// <summary>GET /logs/stream/{model}: one model's output; <see cref="RouteMatch.Parameter"/> is the percent-encoded id.</summary>
    ModelLogStream,

    /// <summary>GET /ui/: the web page (one file, served from the binary).</summary>
    WebPage,

    /// <summary>GET / and GET /ui: redirects to <c>/ui/</c>.</summary>
    WebPageRedirect,

    /// <summary>GET /health: tinyswap itself is up.</summary>
    Health,

    /// <summary>GET /metrics: Prometheus text exposition.</summary>
    Metrics,

    /// <summary>GET /api/metrics/activity: the last finished requests.</summary>
    Activity,

    /// <summary>GET /api/metrics/stats: totals over every request since start.</summary>
    ActivityStats,

    /// <summary>GET /api/version.</summary>
    Version,

    /// <summary>POST /api/inflight/{id}/cancel; <see cref="RouteMatch.Parameter"/> is the id.</summary>
    CancelInflight,

    /// <summary>GET /api/captures/{id}: one request and its answer, when <c>captureBuffer</c> kept them; the parameter is the id.</summary>
    Capture,
}

/// <summary>The request methods the route table distinguishes (RFC 9110 §9; method names are case-sensitive).</summary>
[Flags]
internal enum RouteMethods : ushort
{
    None = 0,
    Get = 1 << 0,
    Head = 1 << 1,
    Post = 1 << 2,
    Put = 1 << 3,
    Delete = 1 << 4,
    Patch = 1 << 5,
    Options = 1 << 6,
    Trace = 1 << 7,
    Connect = 1 << 8,

    /// <summary>Any other (extension) method token.</summary>
    Other = 1 << 9,
}
