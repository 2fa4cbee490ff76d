using System.Buffers;
using System.Text;
using TinySwap.Http.Server;

namespace TinySwap.Tests.Http.Support;

/// <summary>Reads the whole body and answers with it; X-Method/X-Target/X-Count tell what the server parsed.</summary>
internal sealed class EchoHandler : IHttpHandler
{
    private int _count;

    public int Requests => Volatile.Read(ref _count);

    public async ValueTask HandleAsync(HttpExchange exchange)
    {
        var count = Interlocked.Increment(ref _count);
        var body = new List<byte>();
        while (true)
        {
            var result = await exchange.RequestBody.ReadAsync();
            body.AddRange(result.Buffer.ToArray());
            exchange.RequestBody.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
                break;
        }
        var response = exchange.Response;
        response.AddHeader("X-Method"u8, exchange.Request.Method);
        response.AddHeader("X-Target"u8, exchange.Request.Target);
        response.AddHeader("X-Count", count.ToString());
        response.ContentLength = body.Count;
        response.Write(body.ToArray());
        await response.CompleteAsync();
    }

    public static string Text(RawResponse response) => Encoding.UTF8.GetString(response.Body);
}
