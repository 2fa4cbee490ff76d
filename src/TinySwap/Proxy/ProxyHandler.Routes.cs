using System.Runtime.CompilerServices;
using TinySwap.Http;
using System.Buffers;
using System.Text;
using TinySwap.Config;
using TinySwap.Http.Parsing;
using TinySwap.Http.Server;
using TinySwap.Http.Transport;
using TinySwap.Proxy.Forwarding;
using TinySwap.Http.Buffers;
using TinySwap.Contracts;

namespace TinySwap.Proxy;

internal sealed partial class ProxyHandler
{
    private const int MaxModelNameChars = 512;
    private const int InlineWorkMaxBytes = 64 * 1024;

    /// <summary>
    /// JSON routes: the model may be the body's last member, so the whole body is read first (the server's body
    /// limit bounds it), then rewritten only if the model's filters change something, and sent with an exact length.
    /// </summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder))]
    private async ValueTask ForwardJsonAsync(HttpExchange exchange, ProxyCatalog current)
    {
        var buffers = exchange.Scratch<JsonBuffers>();
        using var body = buffers.Body;
        if (!await ReadBodyAsync(exchange, body))
            return;
        // Scanning and rewriting a long prompt is milliseconds of CPU; socket continuations run inline on the epoll
        // threads (InlineSocketCompletions), so move that off them rather than hold up every stream sharing one.
        if (body.WrittenCount > InlineWorkMaxBytes)
            await Task.Yield();

        var sequence = new ReadOnlySequence<byte>(body.WrittenMemory);
        var resolution = FindJsonModel(sequence, current, out var problem, out var message);
        try
        {
            if (resolution.Peer is { } peer)
            {
                await ForwardJsonToPeerAsync(exchange, current, peer, body.WrittenMemory);
                return;
            }
            if (resolution.Route is not { } route)
            {
                await ErrorResponse.WriteAsync(exchange, problem, message);
                return;
            }

            // The route's filter also renames the body's model to a pin's or selector's target, as llama-swap rewrites it.
            using var rewritten = buffers.Rewritten;
            var payload = body.WrittenMemory;
            if (RequestBodyRewriter.Rewrite(sequence, route.BodyFilter, rewritten, out _) == RewriteStatus.Rewritten)
                payload = rewritten.WrittenMemory;
            var model = route.Model;
            await ForwardToModelAsync(exchange, current, model, new ForwardRequest { Body = payload }, WantsLoadingStream(exchange, model, sequence));
        }
        finally
        {
            resolution.Pick.Release();
        }
    }

    /// <summary>A JSON route's body and its rewrite: one pair per connection; their arrays go back to the pool after each request.</summary>
    private sealed class JsonBuffers
    {
        public PooledBuffer Body { get; } = new();
        public PooledBuffer Rewritten { get; } = new(0);
    }

    /// <summary>What a JSON body's model resolves to, with the error to answer when it is no route (synchronous, so the name stays on the stack).</summary>
    private Resolution FindJsonModel(in ReadOnlySequence<byte> body, ProxyCatalog current, out OpenAiErrorKind problem, out string? message)
    {
        Span<char> name = stackalloc char[MaxModelNameChars];
        var read = JsonModelReader.Read(body, name);
        if (read.Status != JsonModelStatus.Found)
        {
            problem = read.Status == JsonModelStatus.ModelTooLong ? OpenAiError.ModelNotFound : OpenAiError.BadRequest;
            message = DescribeJsonProblem(read.Status);
            return default;
        }
        var resolution = Resolved(ResolverFor(current).Resolve(name[..read.ModelLength]));
        problem = resolution.Problem;
        message = resolution.Message;
        return resolution;
    }

    private static string DescribeJsonProblem(JsonModelStatus status) => status switch
    {
        JsonModelStatus.NoModel => "the request body has no \"model\"",
        JsonModelStatus.ModelNotString => "\"model\" must be a string",
        JsonModelStatus.DuplicateModel => "the request body names \"model\" more than once",
        JsonModelStatus.ModelTooLong => "the requested model name is too long to be a known model",
        JsonModelStatus.NotAnObject => "the request body must be a JSON object",
        _ => "the request body is not valid JSON",
    };

    /// <summary>
    /// Multipart routes (audio and image uploads, often tens of MB): the body is read only until the `model` field is
    /// complete — usually the first part — and the rest streams to the upstream without being held.
    /// </summary>
    private async ValueTask ForwardMultipartAsync(HttpExchange exchange, ProxyCatalog current)
    {
        exchange.Request.TryGetHeader("content-type"u8, out var contentType);
        Span<byte> boundary = stackalloc byte[MultipartBoundary.MaxLength];
        if (MultipartBoundary.Parse(contentType, boundary, out var boundaryLength) != MultipartBoundaryStatus.Found)
        {
            await ErrorResponse.WriteAsync(exchange, OpenAiError.BadRequest, "this endpoint takes multipart/form-data with a boundary");
            return;
        }

        using var scanner = new MultipartModelReader(boundary[..boundaryLength]);
        using var prefix = new BodySpill(current.Config.TempDirectory);
        if (!await ReadMultipartPrefixAsync(exchange, prefix, scanner))
            return;
        if (scanner.Status != MultipartScanStatus.Found)
        {
            await ErrorResponse.WriteAsync(exchange, OpenAiError.BadRequest, scanner.Error ?? "the form has no \"model\" field");
            return;
        }
        var resolution = Resolved(ResolverFor(current).ResolveUtf8(scanner.Model));
        try
        {
            if (resolution.Peer is { } peer)
                await ForwardMultipartToPeerAsync(exchange, current, peer, scanner, prefix);
            else if (resolution.Route is not { } route)
                await ErrorResponse.WriteAsync(exchange, resolution.Problem, resolution.Message);
            else
                await ForwardMultipartAsync(exchange, current, route, scanner, prefix);
        }
        finally
        {
            resolution.Pick.Release();
        }
    }

    /// <summary>The multipart tail: the `model` field becomes `useModelName`, else a pin's or selector's target, else stays.</summary>
    private async ValueTask ForwardMultipartAsync(HttpExchange exchange, ProxyCatalog current, ModelRoute route, MultipartModelReader scanner, BodySpill prefix)
    {
        using var spliced = new PooledBuffer(0);
        await ForwardToModelAsync(exchange, current, route.Model, MultipartForward(prefix, scanner, route.UpstreamName, spliced));
    }

    /// <summary>
    /// How to send a multipart body whose prefix we hold: with the model field's value replaced by
    /// <paramref name="upstreamName"/> (useModelName, a pin's or selector's target, a peer's own id) when it differs; the
    /// streamed rest is untouched.
    /// </summary>
    private static ForwardRequest MultipartForward(BodySpill prefix, MultipartModelReader scanner, string? upstreamName, PooledBuffer spliced)
    {
        var forward = prefix.IsSpilled ? new ForwardRequest { SpilledBodyPrefix = prefix } : new ForwardRequest { BodyPrefix = prefix.InMemory };
        if (upstreamName is null)
            return forward;
        var name = Encoding.UTF8.GetBytes(upstreamName);
        if (scanner.Model.SequenceEqual(name))
            return forward;
        var change = name.Length - (scanner.ModelEnd - scanner.ModelStart);
        if (prefix.IsSpilled)
        {
            prefix.Replace(scanner.ModelStart, scanner.ModelEnd, name);
        }
        else
        {
            var start = (int)scanner.ModelStart;
            var end = (int)scanner.ModelEnd;
            var held = prefix.InMemory;
            spliced.Write(new ReadOnlySequence<byte>(held[..start]));
            spliced.Write(new ReadOnlySequence<byte>(name));
            spliced.Write(new ReadOnlySequence<byte>(held[end..]));
            forward = forward with { BodyPrefix = spliced.WrittenMemory };
        }
        return forward with { BodyLengthChange = change };
    }

    /// <summary>
    /// GET routes that name the model in the query (`?model=`); the request is forwarded as it came, except that a profile
    /// pin's or selector's target replaces the model parameter (as llama-swap rewrites it; useModelName does not apply there).
    /// </summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder))]
    private async ValueTask ForwardByQueryAsync(HttpExchange exchange, ProxyCatalog current, RouteMatch route)
    {
        Span<byte> name = stackalloc byte[MaxModelNameChars];
        var status = QueryModel.Find(route.Query(exchange.Request.Target), name, out var length);
        if (status != QueryModelStatus.Found)
        {
            await ErrorResponse.WriteAsync(exchange, OpenAiError.BadRequest, "the query must name a model: ?model=NAME");
            return;
        }
        var resolution = Resolved(ResolverFor(current).ResolveUtf8(name[..length]));
        try
        {
            // As llama-swap does for a GET it sends a peer: `?model=` names the peer's own id.
            if (resolution.Peer is { } peer)
                await ForwardToPeerAsync(exchange, current, peer, WithQueryModel(exchange, route, peer.ModelId));
            else if (resolution.Route is not { } modelRoute)
                await ErrorResponse.WriteAsync(exchange, resolution.Problem, resolution.Message);
            else
                await ForwardToModelAsync(exchange, current, modelRoute.Model,
                    modelRoute.RenamedTo is { } renamed ? WithQueryModel(exchange, route, renamed) : default);
        }
        finally
        {
            resolution.Pick.Release();
        }
    }

    /// <summary>The client's target with its `?model=` naming <paramref name="model"/> instead (a pin's or selector's target, a peer's id).</summary>
    private static ForwardRequest WithQueryModel(HttpExchange exchange, RouteMatch route, string model)
    {
        var target = exchange.Request.Target;
        var query = route.Query(target);
        var path = Encoding.ASCII.GetString(target[..(target.Length - query.Length - 1)]);
        return new ForwardRequest { PathAndQuery = path + "?" + QueryModel.Replace(query, model) };
    }

    /// <summary>`/upstream/{model}/{path…}`: any method, body streamed, path rewritten to what follows the model.</summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder))]
    private async ValueTask ForwardPassthroughAsync(HttpExchange exchange, ProxyCatalog current, RouteMatch route)
    {
        var target = exchange.Request.Target;
        var path = route.Parameter(target);
        var resolved = UpstreamPath.Resolve(path, ResolverFor(current));
        switch (resolved.Status)
        {
            case UpstreamPathStatus.NoModel:
                await ErrorResponse.WriteAsync(exchange, OpenAiError.BadRequest, "model id required in path: /upstream/{model}/...");
                return;
            case UpstreamPathStatus.UnknownModel:
                await ErrorResponse.WriteAsync(exchange, OpenAiError.ModelNotFound,
                    resolved.Message ?? current.Names.UnknownModelMessageUtf8(UpstreamPath.RequestedName(path)));
                return;
            case UpstreamPathStatus.NeedsTrailingSlash:
                await WriteTrailingSlashRedirectAsync(exchange, route);
                return;
        }
        var rest = DotSegments.Remove(path[resolved.RestStart..]);
        var pathAndQuery = route.HasQuery ? rest + "?" + Encoding.ASCII.GetString(route.Query(target)) : rest;
        // A peer's upstream route gets the rest as llama-swap sends it, body untouched.
        if (resolved.Peer is { } peer)
        {
            await ForwardToPeerAsync(exchange, current, peer, new ForwardRequest { PathAndQuery = pathAndQuery });
            return;
        }
        await ForwardPassthroughToModelAsync(exchange, current, resolved.Model!, new ForwardRequest { PathAndQuery = pathAndQuery }, rest);
    }

    /// <summary>
    /// Reads the whole request body into <paramref name="into"/>. False when it could not be read (the error has been
    /// answered or the connection aborted).
    /// </summary>
    [AsyncMethodBuilder(typeof(DeepPoolingValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> ReadBodyAsync(HttpExchange exchange, PooledBuffer into)
    {
        var body = exchange.RequestBody;
        try
        {
            while (!body.IsCompleted)
            {
                var read = await body.ReadAsync(exchange.Aborted);
                into.Write(read.Buffer);
                body.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                    break;
            }
            return true;
        }
        catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
        {
            await AnswerBodyFailureAsync(exchange, ex);
            return false;
        }
    }

    /// <summary>
    /// Reads a multipart body into <paramref name="into"/> only until the scanner has found the model field (or decided
    /// there is none); the rest stays on the connection, to be streamed. False as for <see cref="ReadBodyAsync"/>.
    /// </summary>
    private async ValueTask<bool> ReadMultipartPrefixAsync(HttpExchange exchange, BodySpill into, MultipartModelReader scanner)
    {
        var body = exchange.RequestBody;
        try
        {
            while (!body.IsCompleted)
            {
                var read = await body.ReadAsync(exchange.Aborted);
                var decided = scanner.Feed(read.Buffer) != MultipartScanStatus.NeedMoreData;
                await into.WriteAsync(read.Buffer, exchange.Aborted);
                body.AdvanceTo(read.Buffer.End);
                if (decided)
                    return true;
                if (read.IsCompleted)
                    break;
            }
            scanner.Complete();
            return true;
        }
        catch (UploadSpillException ex)
        {
            ProxyLog.SpillFailed(logger, ex.Message);
            exchange.Response.DisableKeepAlive();
            await ErrorResponse.WriteAsync(exchange, OpenAiError.InternalError, "cannot hold the upload until its model field: " + ex.Message);
            return false;
        }
        catch (Exception ex) when (IoFailure.IsConnectionFailure(ex))
        {
            await AnswerBodyFailureAsync(exchange, ex);
            return false;
        }
    }

    /// <summary>A body that is malformed or too large gets its status (and the connection closes); a broken connection is aborted.</summary>
    private static ValueTask AnswerBodyFailureAsync(HttpExchange exchange, Exception failure)
    {
        if (failure is not HttpRejectedException rejected)
        {
            exchange.Abort();
            return ValueTask.CompletedTask;
        }
        exchange.Response.DisableKeepAlive();
        return ErrorResponse.WriteAsync(exchange, OpenAiError.ForStatus(HttpRejections.StatusCode(rejected.Reason)), HttpRejections.Describe(rejected.Reason));
    }
}
