using System.Text;
using TinySwap.Proxy;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Proxy;

public sealed class MultipartModelReaderTests
{
    private const string Boundary = "----tinyswapBoundary7MA4YWxk";

    private static byte[] Ascii(string text) => Encoding.UTF8.GetBytes(text);

    private static string Field(string name, string value) =>
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n";

    private static byte[] FilePart(string name, byte[] content) =>
        [.. Ascii($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n"), .. content, .. "\r\n"u8];

    private static readonly byte[] Close = Ascii($"--{Boundary}--\r\n");

    private static MultipartModelReader NewReader() => new(Ascii(Boundary));

    /// <summary>Content full of near-misses: CRLFs, dashes and boundary prefixes that stop one byte short.</summary>
    private static byte[] AdversarialContent(int length, int seed)
    {
        var random = new Random(seed);
        var content = new byte[length];
        random.NextBytes(content);
        var nearMiss = Ascii("\r\n--" + Boundary[..^1]);
        for (var at = random.Next(100); at + nearMiss.Length + 1 < length; at += random.Next(200, 5000))
        {
            nearMiss.CopyTo(content, at);
            content[at + nearMiss.Length] = (byte)'#';
        }
        return content;
    }

    private static byte[] ModelThenFile(string model) => [.. Ascii(Field("model", model)), .. FilePart("file", AdversarialContent(10_000, 1)), .. Close];

    private static byte[] FileThenModel(int fileLength, string model) =>
        [.. FilePart("file", AdversarialContent(fileLength, 2)), .. Ascii(Field("response_format", "json") + Field("model", model)), .. Close];

    private static (MultipartScanStatus Status, string? Model) ScanWhole(byte[] body, MultipartModelReader reader)
    {
        var status = reader.Feed(body);
        if (status == MultipartScanStatus.NeedMoreData)
            status = reader.Complete();
        return (status, status == MultipartScanStatus.Found ? Encoding.UTF8.GetString(reader.Model) : null);
    }

    private static (MultipartScanStatus Status, string? Model) Scan(byte[] body)
    {
        using var reader = NewReader();
        return ScanWhole(body, reader);
    }

    [Fact]
    public void Feed_ModelFirst_FoundBeforeTheFileArrives()
    {
        var body = ModelThenFile("whisper-large");
        using var reader = NewReader();
        var modelPartEnd = Field("model", "whisper-large").Length;
        // Only the model part and the next delimiter are needed.
        Assert.Equal(MultipartScanStatus.NeedMoreData, reader.Feed(body.AsSpan(0, modelPartEnd - 1)));
        Assert.Equal(MultipartScanStatus.Found, reader.Feed(body.AsSpan(modelPartEnd - 1, 2 + 2 + Boundary.Length)));
        Assert.Equal("whisper-large", Encoding.UTF8.GetString(reader.Model));
    }

    [Fact]
    public void Feed_ModelAfterLargeFile_IsFound()
    {
        var (status, model) = Scan(FileThenModel(3_000_000, "whisper"));
        Assert.Equal(MultipartScanStatus.Found, status);
        Assert.Equal("whisper", model);
    }

    [Fact]
    public void Feed_LargeFileInPieces_AllocatesNothingProportionalToIt()
    {
        var body = FileThenModel(8_000_000, "whisper");
        using var reader = NewReader();
        reader.Feed(body.AsSpan(0, 100)); // rents its scratch buffer
        var before = GC.GetAllocatedBytesForCurrentThread();
        var status = MultipartScanStatus.NeedMoreData;
        for (var at = 100; at < body.Length && status == MultipartScanStatus.NeedMoreData; at += 65_536)
            status = reader.Feed(body.AsSpan(at, Math.Min(65_536, body.Length - at)));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(MultipartScanStatus.Found, status);
        // Not zero: when parallel tests have drained ArrayPool's per-core cache, renting the part-header scratch
        // allocates one small array. Proportional would be megabytes.
        Assert.True(allocated < 64 * 1024, $"scanning 8 MB allocated {allocated} bytes");
    }

    [Fact]
    public void Feed_ModelOffsets_AllowSplicingANewValue()
    {
        var body = FileThenModel(50_000, "alias-name");
        using var reader = NewReader();
        Assert.Equal(MultipartScanStatus.Found, reader.Feed(body));
        var start = (int)reader.ModelStart;
        var end = (int)reader.ModelEnd;
        Assert.Equal("alias-name", Encoding.UTF8.GetString(body, start, end - start));

        byte[] spliced = [.. body.AsSpan(0, start), .. "upstream/real:name"u8, .. body.AsSpan(end)];
        Assert.Equal((MultipartScanStatus.Found, "upstream/real:name"), Scan(spliced));
    }

    [Fact]
    public void Feed_NoModelField_IsNoModelAtClosingDelimiter()
    {
        byte[] body = [.. FilePart("file", AdversarialContent(20_000, 3)), .. Ascii(Field("language", "en")), .. Close];
        Assert.Equal((MultipartScanStatus.NoModel, null), Scan(body));
    }

    [Fact]
    public void Feed_EmptyModelField_IsNoModel()
        => Assert.Equal(MultipartScanStatus.NoModel, Scan([.. Ascii(Field("model", "")), .. Close]).Status);

    [Fact]
    public void Feed_FilePartNamedModel_IsNotTheField()
    {
        byte[] body = [.. FilePart("model", Ascii("not-this")), .. Ascii(Field("model", "this")), .. Close];
        Assert.Equal((MultipartScanStatus.Found, "this"), Scan(body));
    }

    [Fact]
    public void Feed_DuplicateModelFields_FirstWins()
        => Assert.Equal((MultipartScanStatus.Found, "first"), Scan([.. Ascii(Field("model", "first") + Field("model", "second")), .. Close]));

    [Fact]
    public void Feed_PreambleAndEpilogue_AreIgnored()
    {
        byte[] body = [.. Ascii($"This preamble mentions --{Boundary} mid-line.\r\n"), .. Ascii(Field("model", "m")), .. Close, .. Ascii("epilogue\r\n")];
        Assert.Equal((MultipartScanStatus.Found, "m"), Scan(body));
    }

    [Fact]
    public void Feed_PaddingAfterDelimiter_IsAccepted()
    {
        var body = Ascii($"--{Boundary} \t \r\nContent-Disposition: form-data; name=model\r\n\r\nm\r\n--{Boundary}--");
        Assert.Equal((MultipartScanStatus.Found, "m"), Scan(body));
    }

    [Theory]
    [InlineData("form-data; name=model")]
    [InlineData("form-data; name=\"model\"")]
    [InlineData("FORM-DATA; NAME=\"model\"")]
    [InlineData("form-data;name=\"mo\\del\"")]
    [InlineData("form-data; filename=\"\"; name=\"model\"")]
    [InlineData("form-data; name=\"model\" ")]
    public void Feed_DispositionVariants_NameTheModelField(string disposition)
    {
        var body = Ascii($"--{Boundary}\r\ncontent-disposition: {disposition}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nm\r\n--{Boundary}--");
        Assert.Equal((MultipartScanStatus.Found, "m"), Scan(body));
    }

    [Theory]
    [InlineData("form-data; name=\"Model\"")]
    [InlineData("form-data; name=\"models\"")]
    [InlineData("attachment; name=\"model\"")]
    [InlineData("form-data; name=\"model\"; filename=\"m.txt\"")]
    [InlineData("form-data; name=\"model\"; filename*=UTF-8''m.txt")]
    public void Feed_OtherDispositions_AreNotTheModelField(string disposition)
    {
        var body = Ascii($"--{Boundary}\r\nContent-Disposition: {disposition}\r\n\r\nm\r\n--{Boundary}--");
        Assert.Equal(MultipartScanStatus.NoModel, Scan(body).Status);
    }

    [Fact]
    public void Feed_PartWithoutHeaders_IsSkipped()
    {
        var body = Ascii($"--{Boundary}\r\n\r\nheaderless\r\n{Field("model", "m")}--{Boundary}--");
        Assert.Equal((MultipartScanStatus.Found, "m"), Scan(body));
    }

    [Fact]
    public void Feed_PartEndingRightAfterItsHeaders_IsSkipped()
    {
        // body-part := MIME-part-headers [CRLF *OCTET]: the blank line's CRLF is also the delimiter's.
        var body = Ascii($"--{Boundary}\r\nContent-Disposition: form-data; name=empty\r\n\r\n--{Boundary}\r\n{Field("model", "m")[(Boundary.Length + 4)..]}--{Boundary}--");
        Assert.Equal((MultipartScanStatus.Found, "m"), Scan(body));
    }

    [Fact]
    public void Feed_ModelPartEndingRightAfterItsHeaders_IsNoModel()
    {
        var body = Ascii($"--{Boundary}\r\nContent-Disposition: form-data; name=model\r\n\r\n--{Boundary}--");
        Assert.Equal(MultipartScanStatus.NoModel, Scan(body).Status);
    }

    [Theory]
    [InlineData("\rx")]
    [InlineData("\r\n")]
    [InlineData("\r\n-")]
    [InlineData("-")]
    public void Feed_ModelValueStartingLikeALineEnd_IsKeptWhole(string value)
    {
        var body = Ascii(Field("model", value) + $"--{Boundary}--");
        Assert.Equal((MultipartScanStatus.Found, value), Scan(body));
        using var reader = NewReader();
        Assert.Equal(MultipartScanStatus.Found, reader.Feed(Sequences.OneBytePerSegment(body)));
        Assert.Equal(value, Encoding.UTF8.GetString(reader.Model));
        Assert.Equal(value, Encoding.UTF8.GetString(body, (int)reader.ModelStart, (int)(reader.ModelEnd - reader.ModelStart)));
    }

    [Fact]
    public void Feed_ModelValueWithCrlfAndNearMissDelimiter_KeepsThem()
    {
        var value = $"a\r\nb\r\n--{Boundary[..^1]}c\r\n-";
        Assert.Equal((MultipartScanStatus.Found, value), Scan([.. Ascii(Field("model", value)), .. Close]));
    }

    [Fact]
    public void Feed_Utf8ModelName_IsKeptAsBytes()
        => Assert.Equal((MultipartScanStatus.Found, "模型/q4"), Scan([.. Ascii(Field("model", "模型/q4")), .. Close]));

    [Theory]
    [InlineData("--B\nContent-Disposition: form-data; name=model\n\nm\n--B--")]                  // LF-only lines
    [InlineData("--Bx\r\nContent-Disposition: form-data; name=model\r\n\r\nm\r\n--B--")]          // boundary then junk
    [InlineData("--B\r\nContent-Disposition form-data; name=model\r\n\r\nm\r\n--B--")]            // header without colon
    [InlineData("--B\r\nContent-Disposition : form-data; name=model\r\n\r\nm\r\n--B--")]          // space before colon
    [InlineData("--B\r\nX: a\r\n folded\r\nContent-Disposition: form-data; name=model\r\n\r\nm\r\n--B--")] // obs-fold
    [InlineData("--B\r\nX: a\rb\r\nContent-Disposition: form-data; name=model\r\n\r\nm\r\n--B--")] // bare CR in a header
    [InlineData("--B\r\nContent-Disposition: form-data; name=\"model\r\n\r\nm\r\n--B--")]        // unterminated quote
    [InlineData("--B -\r\nContent-Disposition: form-data; name=model\r\n\r\nm\r\n--B--")]         // junk after padding
    [InlineData("--B\r\rContent-Disposition: form-data; name=model\r\n\r\nm\r\n--B--")]           // CR not followed by LF
    [InlineData("--B-x")]                                                                             // single dash
    public void Feed_MalformedBodies_AreMalformed(string body)
    {
        using var reader = new MultipartModelReader("B"u8);
        var (status, _) = ScanWhole(Ascii(body), reader);
        Assert.Equal(MultipartScanStatus.Malformed, status);
        Assert.NotNull(reader.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("just a preamble, no delimiter at all")]
    [InlineData("--B\r\nContent-Disposition: form-data; name=file\r\n\r\nno closing delimiter")]
    [InlineData("--B\r\nContent-Disposition: form-data; name=model\r\n\r\ntruncated model value")]
    [InlineData("--B\r\nContent-Disposition: form-data; name=mod")]
    public void Complete_BeforeClosingDelimiter_IsMalformed(string body)
    {
        using var reader = new MultipartModelReader("B"u8);
        Assert.Equal(MultipartScanStatus.NeedMoreData, reader.Feed(Ascii(body)));
        Assert.Equal(MultipartScanStatus.Malformed, reader.Complete());
        Assert.NotNull(reader.Error);
    }

    [Fact]
    public void Feed_HeadersLongerThanLimit_AreMalformed()
    {
        var body = Ascii($"--B\r\nX-Long: {new string('a', MultipartModelReader.MaxPartHeaderBytes)}\r\n\r\n");
        using var reader = new MultipartModelReader("B"u8);
        Assert.Equal(MultipartScanStatus.Malformed, reader.Feed(body));
    }

    [Fact]
    public void Feed_ModelLongerThanLimit_IsMalformed()
    {
        var tooLong = new string('m', MultipartModelReader.MaxModelBytes + 1);
        Assert.Equal(MultipartScanStatus.Malformed, Scan([.. Ascii(Field("model", tooLong)), .. Close]).Status);
        var longest = new string('m', MultipartModelReader.MaxModelBytes);
        Assert.Equal((MultipartScanStatus.Found, longest), Scan([.. Ascii(Field("model", longest)), .. Close]));
    }

    [Fact]
    public void Feed_EveryTwoPieceSplit_GivesTheSameResult()
    {
        var body = FileThenModel(600, "org/whisper");
        for (var cut = 0; cut <= body.Length; cut++)
        {
            using var reader = NewReader();
            var status = reader.Feed(body.AsSpan(0, cut));
            if (status == MultipartScanStatus.NeedMoreData)
                status = reader.Feed(body.AsSpan(cut));
            Assert.Equal(MultipartScanStatus.Found, status);
            Assert.Equal("org/whisper", Encoding.UTF8.GetString(reader.Model));
        }
    }

    [Fact]
    public void Feed_OneBytePerSegment_GivesTheSameResult()
    {
        var body = FileThenModel(3_000, "org/whisper");
        using var reader = NewReader();
        Assert.Equal(MultipartScanStatus.Found, reader.Feed(Sequences.OneBytePerSegment(body)));
        Assert.Equal("org/whisper", Encoding.UTF8.GetString(reader.Model));
        Assert.Equal(Scan(body), (reader.Status, Encoding.UTF8.GetString(reader.Model)));
    }

    [Fact]
    public void Feed_EveryPrefix_NeedsMoreUntilTheModelDelimiterThenFinds()
    {
        var body = ModelThenFile("m1");
        var needed = Field("model", "m1").Length + 2 + Boundary.Length; // through the "--boundary" after the value
        for (var length = 0; length <= body.Length; length++)
        {
            using var reader = NewReader();
            var status = reader.Feed(body.AsSpan(0, length));
            Assert.Equal(length < needed ? MultipartScanStatus.NeedMoreData : MultipartScanStatus.Found, status);
        }
    }

    [Fact]
    public void Feed_RandomFormsInRandomPieces_MatchAReferenceScan()
    {
        // Contents drawn from CR, LF, '-' and the boundary's other letters make near-miss delimiters everywhere, but
        // never a real one: 'X' is not in the alphabet.
        const string boundary = "XyZ";
        const string alphabet = "\r\n-yZa";
        var random = new Random(7);
        string Text(int max) => new([.. Enumerable.Range(0, random.Next(max)).Select(_ => alphabet[random.Next(alphabet.Length)])]);

        for (var round = 0; round < 300; round++)
        {
            var body = new StringBuilder(random.Next(2) == 0 ? "" : Text(20) + "\r\n");
            string? expected = null;
            var expectedStart = -1;
            for (var part = random.Next(4); part >= 0; part--)
            {
                var name = random.Next(3) switch { 0 => "model", 1 => "file", _ => "x" };
                var isFile = random.Next(4) == 0;
                var value = Text(name == "model" ? 40 : 300);
                body.Append($"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{(isFile ? "; filename=\"f\"" : "")}\r\n\r\n");
                if (name == "model" && !isFile && expected is null)
                {
                    expected = value;
                    expectedStart = Encoding.UTF8.GetByteCount(body.ToString());
                }
                body.Append(value).Append("\r\n");
            }
            body.Append($"--{boundary}--\r\n");
            var bytes = Encoding.UTF8.GetBytes(body.ToString());

            using var reader = new MultipartModelReader(Encoding.ASCII.GetBytes(boundary));
            var status = MultipartScanStatus.NeedMoreData;
            for (var at = 0; at < bytes.Length && status == MultipartScanStatus.NeedMoreData;)
            {
                var size = Math.Min(bytes.Length - at, random.Next(1, 12));
                status = reader.Feed(bytes.AsSpan(at, size));
                at += size;
            }
            if (status == MultipartScanStatus.NeedMoreData)
                status = reader.Complete();

            if (string.IsNullOrEmpty(expected))
            {
                Assert.Equal(MultipartScanStatus.NoModel, status);
                continue;
            }
            Assert.Equal(MultipartScanStatus.Found, status);
            Assert.Equal(expected, Encoding.UTF8.GetString(reader.Model));
            Assert.Equal(expectedStart, reader.ModelStart);
            Assert.Equal(expectedStart + expected.Length, reader.ModelEnd);
        }
    }

    [Fact]
    public void Feed_AfterTheAnswer_KeepsTheAnswer()
    {
        using var reader = NewReader();
        var body = ModelThenFile("m");
        Assert.Equal(MultipartScanStatus.Found, reader.Feed(body));
        Assert.Equal(MultipartScanStatus.Found, reader.Feed("garbage"u8));
        Assert.Equal(MultipartScanStatus.Found, reader.Complete());
        Assert.Equal("m", Encoding.UTF8.GetString(reader.Model));
    }

    [Fact]
    public void Reset_AllowsReuseWithAnotherBoundary()
    {
        using var reader = NewReader();
        Assert.Equal(MultipartScanStatus.Found, reader.Feed(ModelThenFile("first")));
        reader.Reset("other"u8);
        var status = reader.Feed(Ascii("--other\r\nContent-Disposition: form-data; name=model\r\n\r\nsecond\r\n--other--"));
        Assert.Equal(MultipartScanStatus.Found, status);
        Assert.Equal("second", Encoding.UTF8.GetString(reader.Model));
        // Offsets count from the start of the new body.
        Assert.Equal(Ascii("--other\r\nContent-Disposition: form-data; name=model\r\n\r\n").Length, reader.ModelStart);
    }

    [Fact]
    public void QuotedBoundaryFromContentType_ScansTheBody()
    {
        var boundaryBuffer = new byte[MultipartBoundary.MaxLength];
        Assert.Equal(MultipartBoundaryStatus.Found,
            MultipartBoundary.Parse("multipart/form-data; boundary=\"a'(b)+_,-./:=? c\""u8, boundaryBuffer, out var length));
        using var reader = new MultipartModelReader(boundaryBuffer.AsSpan(0, length));
        var body = Ascii("--a'(b)+_,-./:=? c\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nq\r\n--a'(b)+_,-./:=? c--\r\n");
        Assert.Equal(MultipartScanStatus.Found, reader.Feed(body));
        Assert.Equal("q", Encoding.UTF8.GetString(reader.Model));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\r\nb")]
    public void Constructor_RejectsBoundariesTheScanCannotHandle(string boundary)
        => Assert.Throws<ArgumentException>(() => new MultipartModelReader(Ascii(boundary)));
}
