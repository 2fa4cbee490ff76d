using System.Buffers;

namespace TinySwap.Proxy;

internal enum MultipartScanStatus : byte
{
    /// <summary>Feed more of the body.</summary>
    NeedMoreData,

    /// <summary>The first <c>model</c> field is complete: <see cref="MultipartModelReader.Model"/> and its offsets are set.</summary>
    Found,

    /// <summary>The closing delimiter came without a (non-empty) <c>model</c> field.</summary>
    NoModel,

    /// <summary>Not a multipart body by RFC 2046 §5.1.1 / RFC 7578; <see cref="MultipartModelReader.Error"/> says why.</summary>
    Malformed,
}

/// <summary>
/// Scans a multipart/form-data body as it arrives for its <c>model</c> field, without ever copying a file part: file
/// bytes are only searched for the next delimiter (vectorised <c>IndexOf</c>), part headers and the model value are the
/// only bytes kept. Feed each newly arrived piece once, in order; stop as soon as the status is not NeedMoreData.
/// </summary>
/// <remarks>
/// Strict about line endings: delimiters and part headers need CRLF (every browser, curl and SDK sends it). A delimiter
/// is CRLF "--" boundary wherever it occurs (RFC 2046: "it is sufficient that the boundary appear in its entirety
/// following the CRLF"); what follows must be "--" (close) or optional space/tab then CRLF, else the body is malformed.
/// The first <c>model</c> field wins, as Go's <c>FormValue</c> (llama-swap) does; a part with a filename is a file, not the field.
/// </remarks>
/// <example>
/// <code>
/// using var scan = new MultipartModelReader(boundary);
/// var status = scan.Feed(buffer.Slice(alreadyFed));  // per read, until status != NeedMoreData (Complete() at end of body)
/// if (status == MultipartScanStatus.Found) index.FindUtf8(scan.Model);  // splice at scan.ModelStart..scan.ModelEnd for useModelName
/// </code>
/// </example>
internal sealed partial class MultipartModelReader : IDisposable
{
    /// <summary>A part's header block (lines and the blank line) may not exceed this.</summary>
    public const int MaxPartHeaderBytes = 8 * 1024;

    /// <summary>The model field's value may not exceed this.</summary>
    public const int MaxModelBytes = 1024;

    private enum State : byte { Content, AfterDelimiter, CloseDash, Padding, PaddingLf, PartHeaders, Done }

    // "\r\n--" + boundary. Boundaries contain no CR (MultipartBoundary checks), so a delimiter can only start at a CR:
    // at a chunk's end the one candidate partial match begins at its last CR, and no back-tracking table is needed.
    private readonly byte[] delimiter = new byte[4 + MultipartBoundary.MaxLength];
    private int delimiterLength;

    private byte[]? scratch;  // rented: the current part's header block, then the model value
    private int scratchLength;
    private State state;
    private int matched;      // delimiter bytes matched at the end of what was fed so far
    private bool assumedCrlf; // the CRLF of the current partial match was assumed, not fed (see SeedLineStart)
    private bool inModelPart;
    private long fed;         // absolute offset of the next byte

    public MultipartModelReader(ReadOnlySpan<byte> boundary) => Reset(boundary);

    public MultipartScanStatus Status { get; private set; }

    /// <summary>Why the body is malformed; null otherwise.</summary>
    public string? Error { get; private set; }

    /// <summary>The model field's bytes (UTF-8, RFC 7578 §5.1) once Found; valid until the next Reset or Dispose.</summary>
    public ReadOnlySpan<byte> Model => Status == MultipartScanStatus.Found ? scratch.AsSpan(0, scratchLength) : default;

    /// <summary>Offset in the body of the model value's first byte (replace ModelStart..ModelEnd to rewrite it).</summary>
    public long ModelStart { get; private set; }

    /// <summary>Offset in the body just past the model value (where its closing delimiter's CRLF starts).</summary>
    public long ModelEnd { get; private set; }

    /// <summary>How many body bytes have been fed.</summary>
    public long BytesFed => fed;

    /// <summary>Starts over for another body (the reader can be reused per connection).</summary>
    public void Reset(ReadOnlySpan<byte> boundary)
    {
        if (boundary.IsEmpty || boundary.Length > MultipartBoundary.MaxLength || boundary.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
            throw new ArgumentException("boundary must be 1-70 bytes without CR or LF (use MultipartBoundary.Parse)", nameof(boundary));
        "\r\n--"u8.CopyTo(delimiter);
        boundary.CopyTo(delimiter.AsSpan(4));
        delimiterLength = 4 + boundary.Length;

        SeedLineStart();
        state = State.Content;
        inModelPart = false;
        scratchLength = 0;
        fed = 0;
        ModelStart = ModelEnd = 0;
        Status = MultipartScanStatus.NeedMoreData;
        Error = null;
    }

    public MultipartScanStatus Feed(in ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            if (Feed(segment.Span) != MultipartScanStatus.NeedMoreData)
                break;
        }
        return Status;
    }

    public MultipartScanStatus Feed(ReadOnlySpan<byte> data)
    {
        var start = fed;
        var i = 0;
        while (i < data.Length && Status == MultipartScanStatus.NeedMoreData)
        {
            var b = data[i];
            switch (state)
            {
                case State.Content:
                    i = ScanContent(data, i, start);
                    break;
                case State.PartHeaders:
                    i = ScanPartHeaders(data, i, start);
                    break;
                case State.AfterDelimiter or State.Padding:
                    // close-delimiter := delimiter "--"; otherwise transport-padding (*LWSP-char) then CRLF.
                    i++;
                    state = b switch
                    {
                        (byte)'-' when state == State.AfterDelimiter => State.CloseDash,
                        (byte)' ' or (byte)'\t' => State.Padding,
                        (byte)'\r' => State.PaddingLf,
                        _ => Fail("a boundary is followed by something other than '--', transport padding or CRLF"),
                    };
                    break;
                case State.CloseDash:
                    i++;
                    if (b == (byte)'-')
                        Finish(MultipartScanStatus.NoModel);
                    else
                        Fail("a boundary is followed by a single '-'");
                    break;
                case State.PaddingLf:
                    i++;
                    if (b == (byte)'\n')
                        state = State.PartHeaders;
                    else
                        Fail("a boundary line does not end in CRLF");
                    break;
            }
        }
        fed = start + data.Length;
        return Status;
    }

    /// <summary>Tells the reader the body has ended: a body still waiting for its closing delimiter is truncated.</summary>
    public MultipartScanStatus Complete()
    {
        if (Status == MultipartScanStatus.NeedMoreData)
            Fail(fed > 0 ? "the body ended before its closing boundary" : "the body is empty");
        return Status;
    }

    public void Dispose()
    {
        if (scratch is not null)
            ArrayPool<byte>.Shared.Return(scratch);
        scratch = null;
        scratchLength = 0;
    }

    // Searches data[i..] for the delimiter, keeping the model value's bytes when inside the model part.
    private int ScanContent(ReadOnlySpan<byte> data, int i, long start)
    {
        ReadOnlySpan<byte> delim = delimiter.AsSpan(0, delimiterLength);
        if (matched > 0)
        {
            var n = Math.Min(delim.Length - matched, data.Length - i);
            if (data.Slice(i, n).SequenceEqual(delim.Slice(matched, n)))
            {
                matched += n;
                i += n;
                if (matched < delim.Length)
                    return i;
                matched = 0;
                var delimiterStart = assumedCrlf ? start + i - (delim.Length - 2) : start + i - delim.Length;
                assumedCrlf = false;
                return OnDelimiter(delimiterStart, i);
            }
            // Not a delimiter after all: what looked like its start was content (unless it was only assumed).
            if (inModelPart && !AppendModel(delim[(assumedCrlf ? 2 : 0)..matched]))
                return data.Length;
            matched = 0;
            assumedCrlf = false;
        }

        var rest = data[i..];
        var found = rest.IndexOf(delim);
        if (found >= 0)
        {
            if (inModelPart && !AppendModel(rest[..found]))
                return data.Length;
            i += found + delim.Length;
            return OnDelimiter(start + i - delim.Length, i);
        }

        var contentEnd = rest.Length;
        var tailStart = Math.Max(0, rest.Length - (delim.Length - 1));
        var cr = rest[tailStart..].LastIndexOf((byte)'\r');
        if (cr >= 0 && delim.StartsWith(rest[(tailStart + cr)..]))
        {
            contentEnd = tailStart + cr;
            matched = rest.Length - contentEnd;
        }
        if (inModelPart)
            AppendModel(rest[..contentEnd]);
        return data.Length;
    }

    // At the start of the body and of each part's content, the CRLF just seen (or, at the very start, none at all) may
    // double as the next delimiter's CRLF: "--b" at the very start needs no preamble, and a part may end right after its
    // header block (body-part := MIME-part-headers [CRLF *OCTET]). So start as if "\r\n" were already matched.
    private void SeedLineStart()
    {
        matched = 2;
        assumedCrlf = true;
    }

    private int OnDelimiter(long delimiterStart, int i)
    {
        if (!inModelPart)
        {
            state = State.AfterDelimiter;
            return i;
        }
        ModelEnd = delimiterStart;
        Finish(scratchLength == 0 ? MultipartScanStatus.NoModel : MultipartScanStatus.Found);
        return i;
    }

    private bool AppendModel(ReadOnlySpan<byte> bytes)
    {
        if (scratchLength + bytes.Length > MaxModelBytes)
        {
            Fail("the model field is longer than 1024 bytes");
            return false;
        }
        bytes.CopyTo(scratch.AsSpan(scratchLength));
        scratchLength += bytes.Length;
        return true;
    }

    private void Finish(MultipartScanStatus status)
    {
        Status = status;
        state = State.Done;
    }

    private State Fail(string error)
    {
        Error = error;
        scratchLength = 0;
        Finish(MultipartScanStatus.Malformed);
        return State.Done;
    }
}
