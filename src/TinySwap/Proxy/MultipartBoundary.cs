namespace TinySwap.Proxy;

internal enum MultipartBoundaryStatus : byte
{
    Found,

    /// <summary>The media type is not multipart/form-data: 400 (these routes take only form uploads).</summary>
    NotFormData,

    /// <summary>multipart/form-data without a boundary parameter.</summary>
    MissingBoundary,

    /// <summary>A malformed Content-Type, a repeated boundary, or a boundary outside RFC 2046's alphabet or length.</summary>
    Invalid,
}

/// <summary>Extracts the boundary of a <c>multipart/form-data</c> Content-Type (RFC 7578 §4.1, RFC 2046 §5.1.1).</summary>
internal static class MultipartBoundary
{
    /// <summary>RFC 2046: a boundary is 1 to 70 characters.</summary>
    public const int MaxLength = 70;

    /// <summary>
    /// Writes the boundary (unquoted) to <paramref name="boundary"/>, which must hold <see cref="MaxLength"/> bytes. The
    /// media type and parameter names compare case-insensitively; the value may be a token or a quoted-string.
    /// </summary>
    /// <example><c>Span&lt;byte&gt; b = stackalloc byte[MultipartBoundary.MaxLength]; if (MultipartBoundary.Parse(contentType, b, out var n) == MultipartBoundaryStatus.Found) reader = new MultipartModelReader(b[..n]);</c></example>
    public static MultipartBoundaryStatus Parse(ReadOnlySpan<byte> contentType, Span<byte> boundary, out int length)
    {
        length = 0;
        var value = HeaderParameters.Trim(contentType);
        var typeEnd = value.IndexOfAny((byte)';', (byte)' ', (byte)'\t');
        var mediaType = typeEnd < 0 ? value : value[..typeEnd];
        if (!System.Text.Ascii.EqualsIgnoreCase(mediaType, "multipart/form-data"u8))
            return MultipartBoundaryStatus.NotFormData;

        var parameters = new HeaderParameters(typeEnd < 0 ? default : value[typeEnd..]);
        var found = false;
        while (parameters.MoveNext(out var name, out var raw, out var quoted))
        {
            if (!System.Text.Ascii.EqualsIgnoreCase(name, "boundary"u8))
                continue;
            if (found)
                return MultipartBoundaryStatus.Invalid;
            found = true;
            length = HeaderParameters.Unquote(raw, quoted, boundary[..Math.Min(boundary.Length, MaxLength)]);
            if (length <= 0 || !IsValidBoundary(boundary[..length]))
            {
                length = 0;
                return MultipartBoundaryStatus.Invalid;
            }
        }

        if (parameters.IsMalformed)
        {
            length = 0;
            return MultipartBoundaryStatus.Invalid;
        }
        return found ? MultipartBoundaryStatus.Found : MultipartBoundaryStatus.MissingBoundary;
    }

    // boundary := 0*69<bchars> bcharsnospace. Besides being the RFC's rule, it guarantees no CR or LF, which the
    // delimiter scan in MultipartModelReader relies on.
    private static bool IsValidBoundary(ReadOnlySpan<byte> boundary)
    {
        if (boundary[^1] == (byte)' ')
            return false;
        foreach (var b in boundary)
        {
            var ok = b switch
            {
                >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' => true,
                (byte)'\'' or (byte)'(' or (byte)')' or (byte)'+' or (byte)'_' or (byte)',' or (byte)'-' or (byte)'.'
                    or (byte)'/' or (byte)':' or (byte)'=' or (byte)'?' or (byte)' ' => true,
                _ => false,
            };
            if (!ok)
                return false;
        }
        return true;
    }
}
