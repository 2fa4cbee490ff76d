using System.Buffers;
using System.Text;

namespace TinySwap.Proxy;

internal sealed partial class MultipartModelReader
{
    // Collects the part's header block into scratch until its blank line, then decides whether the part is the model field.
    private int ScanPartHeaders(ReadOnlySpan<byte> data, int i, long start)
    {
        scratch ??= ArrayPool<byte>.Shared.Rent(MaxPartHeaderBytes);
        var before = scratchLength;
        var take = Math.Min(data.Length - i, MaxPartHeaderBytes - before);
        data.Slice(i, take).CopyTo(scratch.AsSpan(before));
        var block = scratch.AsSpan(0, before + take);

        // An empty header block is just the blank line.
        int end;
        if (block.Length >= 2 && block[0] == (byte)'\r' && block[1] == (byte)'\n')
        {
            end = 2;
        }
        else
        {
            var searchFrom = Math.Max(0, before - 3);
            var blank = block[searchFrom..].IndexOf("\r\n\r\n"u8);
            if (blank < 0)
            {
                scratchLength = block.Length;
                if (scratchLength == MaxPartHeaderBytes)
                    Fail("a part's headers are longer than 8 KiB");
                return data.Length;
            }
            end = searchFrom + blank + 4;
        }

        i += end - before;
        scratchLength = 0;
        var isModel = IsModelField(block[..(end - 2)], out var error);
        if (error is not null)
        {
            Fail(error);
            return i;
        }
        inModelPart = isModel;
        ModelStart = start + i;
        state = State.Content;
        SeedLineStart();
        return i;
    }

    // Header lines, each ending in CRLF. RFC 7578 §4.2: the field name is Content-Disposition's "name" parameter of
    // disposition type form-data; a "filename" makes the part a file upload rather than a plain field.
    private static bool IsModelField(ReadOnlySpan<byte> lines, out string? error)
    {
        error = null;
        var isModel = false;
        var sawDisposition = false;
        while (!lines.IsEmpty)
        {
            var eol = lines.IndexOf("\r\n"u8);
            var line = lines[..eol];
            lines = lines[(eol + 2)..];

            if (line.IndexOfAny((byte)'\r', (byte)'\n', (byte)0) >= 0)
            {
                error = "a part header contains a bare CR, LF or NUL";
                return false;
            }
            var colon = line.IndexOf((byte)':');
            // No whitespace before the colon and no obs-fold continuation lines (both start a non-token name here).
            if (colon <= 0 || HeaderParameters.TokenLength(line) != colon)
            {
                error = "a part header is not 'name: value'";
                return false;
            }
            if (sawDisposition || !Ascii.EqualsIgnoreCase(line[..colon], "Content-Disposition"u8))
                continue;

            sawDisposition = true;
            isModel = IsModelDisposition(HeaderParameters.Trim(line[(colon + 1)..]), out var malformed);
            if (malformed)
            {
                error = "a part's Content-Disposition is malformed";
                return false;
            }
        }
        return isModel;
    }

    private static bool IsModelDisposition(ReadOnlySpan<byte> value, out bool malformed)
    {
        malformed = false;
        var typeEnd = value.IndexOfAny((byte)';', (byte)' ', (byte)'\t');
        var type = typeEnd < 0 ? value : value[..typeEnd];
        if (!Ascii.EqualsIgnoreCase(type, "form-data"u8))
            return false;

        var parameters = new HeaderParameters(typeEnd < 0 ? default : value[typeEnd..]);
        var namedModel = false;
        var isFile = false;
        while (parameters.MoveNext(out var name, out var raw, out var quoted))
        {
            if (Ascii.EqualsIgnoreCase(name, "name"u8))
                namedModel = HeaderParameters.ValueEquals(raw, quoted, "model"u8);
            else if (Ascii.EqualsIgnoreCase(name, "filename"u8) || Ascii.EqualsIgnoreCase(name, "filename*"u8))
                isFile |= !raw.IsEmpty;
        }
        malformed = parameters.IsMalformed;
        return namedModel && !isFile;
    }
}
