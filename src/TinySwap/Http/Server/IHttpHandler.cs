namespace TinySwap.Http.Server;

/// <summary>
/// Answers requests. Called once per request, in order, on the connection's read loop; the response must be
/// complete (or the exchange aborted) when the returned task ends — the server completes it otherwise.
/// An exception before the response starts becomes a 500; after it started, the connection is reset.
/// </summary>
internal interface IHttpHandler
{
    ValueTask HandleAsync(HttpExchange exchange);
}
