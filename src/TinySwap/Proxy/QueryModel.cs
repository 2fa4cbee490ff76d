using System.Buffers;
using System.Globalization;
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
        if (FindValue(query) is not { } value)
            return QueryModelStatus.NoModel;
        return PercentEncoding.Decode(query[value.Start..value.End], model, plusIsSpace: true, out length) switch
        {
            OperationStatus.Done when length == 0 => QueryModelStatus.NoModel,
            OperationStatus.Done => QueryModelStatus.Found,
            OperationStatus.DestinationTooSmall => QueryModelStatus.TooLong,
            _ => QueryModelStatus.Malformed,
        };
    }

    /// <summary>
    /// The query with the value of the <c>model</c> parameter that <see cref="Find"/> reads replaced by
    /// <paramref name="model"/> (percent-encoded); every other byte stays as the client sent it. The query must have one.
    /// </summary>
    public static string Replace(ReadOnlySpan<byte> query, string model)
    {
        var (start, end) = FindValue(query) ?? throw new ArgumentException("the query has no model parameter", nameof(query));
        var text = new StringBuilder(query.Length + model.Length * 3);
        text.Append(Encoding.ASCII.GetString(query[..start]));
        if (start == 0 || query[start - 1] != (byte)'=')
            text.Append('=');   // `model` alone: give it a value
        foreach (var b in Encoding.UTF8.GetBytes(model))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
                text.Append((char)b);
            else
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return text.Append(Encoding.ASCII.GetString(query[end..])).ToString();
    }

    // Where the first `model` parameter's raw value sits: pairs are split on '&' only, names decoded before comparing.
    private static (int Start, int End)? FindValue(ReadOnlySpan<byte> query)
    {
        Span<byte> name = stackalloc byte[5];
        var offset = 0;
        while (offset < query.Length)
        {
            var amp = query[offset..].IndexOf((byte)'&');
            var pairEnd = amp < 0 ? query.Length : offset + amp;
            var pair = query[offset..pairEnd];
            var eq = pair.IndexOf((byte)'=');
            var rawName = eq < 0 ? pair : pair[..eq];
            // "model" is five bytes; a longer raw name can only decode to it through escapes ("%6Dodel"), at most 15 bytes.
            if (rawName.Length is >= 5 and <= 15
                && PercentEncoding.Decode(rawName, name, plusIsSpace: true, out var nameLength) == OperationStatus.Done
                && name[..nameLength].SequenceEqual("model"u8))
            {
                return eq < 0 ? (pairEnd, pairEnd) : (offset + eq + 1, pairEnd);
            }
            offset = pairEnd + 1;
        }
        return null;
    }
}
