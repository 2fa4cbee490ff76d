using TinySwap.Http.Server;

namespace TinySwap.Contracts;

/// <summary>Sends a <see cref="GateRefusal"/> as the error response it describes (Api and Proxy answer refusals alike).</summary>
internal static class GateRefusalResponse
{
    public static ValueTask WriteAsync(HttpExchange exchange, GateRefusal refusal)
        => ErrorResponse.WriteAsync(exchange, refusal.StatusCode, refusal.Message, refusal.ErrorType, refusal.ErrorCode, refusal.RetryAfter);
}
