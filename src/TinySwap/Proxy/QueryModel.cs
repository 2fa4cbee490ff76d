using System.Buffers;
using System.Text;
using TinySwap.Http.Parsing;

namespace TinySwap.Proxy;

internal enum QueryModelStatus : byte
{
    Found,

    /// <summary>No <c>model</c> parameter, or an empty one (llama-swap answers both with 400).</summary>
    NoModel,

    /// <summary>The <c>model</c> parameter has a broken percent-escape.</summary>
    Malformed,

    /// <summary>The decoded value does not fit the caller's buffer (so it cannot be any configured name).</summary>
    TooLong,
}

/// <summary>Finds <c>?model=</c> in a query string, decoded as application/x-www-form-urlencoded ('+' is space).</summary>
internal static class QueryModel
{
    /// <summary>
    /// The first <c>model</c> parameter wins, as Go's <c>url.Values.Get</c> (llama-swap) does. Pairs are split on '&amp;'
    /// only; parameter names are decoded before comparing. On <see cref="QueryModelStatus.Found"/> the UTF-8 name is
    /// <c>model[..length]</c>.
    /// </summary>
    /// <example><c>QueryModel.Find(match.Query(target), buffer, out var n)</c>, then <c>index.FindUtf8(buffer[..n])</c>.</example>
    public static QueryModelStatus Find(ReadOnlySpan<byte> query, Span<byte> model, out int length)
    {
        length = 0;
        Span<byte> name = stackalloc byte[5];
        while (!query.IsEmpty)
        {
            var amp = query.IndexOf((byte)'&');
            var pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? default : query[(amp + 1)..];

            var eq = pair.IndexOf((byte)'=');
            if (!IsModelParameter(eq < 0 ? pair : pair[..eq], name))
                continue;

            var rawValue = eq < 0 ? default : pair[(eq + 1)..];
            return PercentEncoding.Decode(rawValue, model, plusIsSpace: true, out length) switch
            {
                OperationStatus.Done when length == 0 => QueryModelStatus.NoModel,
                OperationStatus.Done => QueryModelStatus.Found,
                OperationStatus.DestinationTooSmall => QueryModelStatus.TooLong,
                _ => QueryModelStatus.Malformed,
            };
        }
        return QueryModelStatus.NoModel;
    }

    /// <summary>
    /// <paramref name="path"/> and <paramref name="query"/> with the value of the parameter <see cref="Find"/> reads replaced
    /// by <paramref name="model"/> (percent-encoded); every other parameter is kept byte for byte.
    /// </summary>
    public static string WithModel(ReadOnlySpan<byte> path, ReadOnlySpan<byte> query, string model)
    {
        var result = new System.Text.StringBuilder(Encoding.ASCII.GetString(path)).Append('?');
        var replaced = false;
        Span<byte> name = stackalloc byte[5];
        while (!query.IsEmpty)
        {
            var amp = query.IndexOf((byte)'&');
            var pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? default : query[(amp + 1)..];
            var eq = pair.IndexOf((byte)'=');
            if (!replaced && IsModelParameter(eq < 0 ? pair : pair[..eq], name))
            {
                result.Append("model=").Append(Uri.EscapeDataString(model));
                replaced = true;
            }
            else
            {
                result.Append(Encoding.ASCII.GetString(pair));
            }
            if (amp >= 0)
                result.Append('&');
        }
        return result.ToString();
    }

    // "model" is five bytes; a longer raw name can only decode to it through escapes ("%6Dodel"), at most 15 bytes.
    private static bool IsModelParameter(ReadOnlySpan<byte> rawName, Span<byte> scratch) =>
        rawName.Length is >= 5 and <= 15
        && PercentEncoding.Decode(rawName, scratch, plusIsSpace: true, out var length) == OperationStatus.Done
        && scratch[..length].SequenceEqual("model"u8);
}
