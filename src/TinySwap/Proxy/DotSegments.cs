using System.Text;

namespace TinySwap.Proxy;

/// <summary>
/// RFC 3986 §5.2.4 remove_dot_segments for the path forwarded by `/upstream/{model}/…`. A normalising proxy in front
/// of us (or the model server itself) would resolve `a/../b` before routing; we do it first so the model sees that
/// same path, and because the input is rooted at the model's prefix, `..` can never climb out of it.
/// </summary>
internal static class DotSegments
{
    /// <summary>
    /// <paramref name="path"/> is an absolute path (starts with '/'), raw: no byte is decoded except that `%2E` counts
    /// as '.' when spotting a dot segment (RFC 3986 §6.2.2.2: normalisers decode unreserved characters).
    /// </summary>
    public static string Remove(ReadOnlySpan<byte> path)
    {
        if (!MayHaveDotSegment(path))
            return Encoding.ASCII.GetString(path);

        var output = new List<Range>();
        var endsWithSlash = false;
        var start = 1;
        while (start <= path.Length)
        {
            var slash = path[start..].IndexOf((byte)'/');
            var end = slash < 0 ? path.Length : start + slash;
            var segment = path[start..end];
            var isLast = slash < 0;
            switch (DotCount(segment))
            {
                case 1:
                    endsWithSlash = isLast;
                    break;
                case 2:
                    if (output.Count > 0)
                        output.RemoveAt(output.Count - 1);
                    endsWithSlash = isLast;
                    break;
                default:
                    output.Add(start..end);
                    endsWithSlash = false;
                    break;
            }
            start = end + 1;
        }

        var result = new StringBuilder(path.Length);
        foreach (var range in output)
            result.Append('/').Append(Encoding.ASCII.GetString(path[range]));
        if (endsWithSlash || output.Count == 0)
            result.Append('/');
        return result.ToString();
    }

    private static bool MayHaveDotSegment(ReadOnlySpan<byte> path) =>
        path.IndexOf((byte)'.') >= 0 || path.IndexOf("%2"u8) >= 0;

    /// <summary>1 for ".", 2 for "..", 0 for any other segment; `%2E` (any case) stands for a dot.</summary>
    private static int DotCount(ReadOnlySpan<byte> segment)
    {
        var dots = 0;
        while (!segment.IsEmpty)
        {
            if (segment[0] == (byte)'.')
                segment = segment[1..];
            else if (segment.Length >= 3 && segment[0] == (byte)'%' && segment[1] == (byte)'2' && (segment[2] | 0x20) == (byte)'e')
                segment = segment[3..];
            else
                return 0;
            if (++dots > 2)
                return 0;
        }
        return dots;
    }
}
