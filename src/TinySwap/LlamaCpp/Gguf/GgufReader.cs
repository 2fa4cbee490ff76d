using System.Text;

namespace TinySwap.LlamaCpp.Gguf;

/// <summary>
/// Reads a GGUF header (ggml docs/gguf.md): magic, version, counts, metadata, tensor infos; never the tensor data.
/// Versions 1–3, little-endian only. v1 sizes counts, string lengths, array lengths and tensor dims as uint32; v2 and v3
/// as uint64 (v3 only added big-endian files, which are refused with a clear message).
/// </summary>
internal sealed partial class GgufReader
{
    private const uint Magic = 0x46554747; // "GGUF" read as a little-endian uint32

    private readonly GgufInput _input;
    private readonly GgufLimits _limits;
    private uint _version;

    private GgufReader(GgufInput input, GgufLimits limits)
    {
        _input = input;
        _limits = limits;
    }

    /// <summary>Reads the header of <paramref name="stream"/>; <paramref name="length"/> (when known) bounds every length field.</summary>
    public static GgufReadResult Read(Stream stream, long? length, GgufLimits limits)
    {
        var input = new GgufInput(stream, length, limits.MaxHeaderBytes);
        try
        {
            return GgufReadResult.Ok(new GgufReader(input, limits).ReadHeader());
        }
        catch (GgufFormatException e)
        {
            return GgufReadResult.Fail(e.Message);
        }
        catch (IOException e)
        {
            return GgufReadResult.Fail($"read failed at byte {input.Position}: {e.Message}");
        }
    }

    private GgufFacts ReadHeader()
    {
        _input.Context = "the magic";
        if (_input.ReadUInt32() != Magic)
            throw _input.Fail("not a GGUF file (the first 4 bytes are not 'GGUF')");
        _input.Context = "the version";
        _version = _input.ReadUInt32();
        if (_version is 0 or > 3)
        {
            // A big-endian file stores the version byte-swapped: 3 reads as 0x03000000 here.
            throw _version is 0x01000000 or 0x02000000 or 0x03000000
                ? _input.Fail("big-endian GGUF is not supported")
                : _input.Fail($"unsupported GGUF version {_version} (1 to 3 are known)");
        }
        _input.Context = "the tensor count";
        var tensorCount = ReadCount(_limits.MaxTensorCount, "tensors");
        _input.Context = "the metadata count";
        var metadataCount = ReadCount(_limits.MaxMetadataCount, "metadata entries");

        var metadata = new GgufMetadata(_limits.MaxLayers);
        for (long i = 0; i < metadataCount; i++)
            ReadMetadataEntry(i, metadata);
        var tensors = ReadTensorInfos(tensorCount);
        return GgufFactsBuilder.Build(_version, _input, metadata, tensors);
    }

    /// <summary>A count or length field: uint32 in v1, uint64 after.</summary>
    private ulong ReadSize() => _version == 1 ? _input.ReadUInt32() : _input.ReadUInt64();

    private long ReadCount(long max, string what)
    {
        var count = ReadSize();
        if (count > (ulong)max)
            throw _input.Fail($"{count} {what} is more than the {max} allowed");
        return (long)count;
    }

    /// <summary>A string's length, refused when it claims more bytes than the file (or the per-value budget) holds.</summary>
    private long ReadStringLength(long max)
    {
        var length = ReadSize();
        var budget = Math.Min(max, _limits.MaxValueBytes);
        if (length > (ulong)budget)
            throw _input.Fail($"a string claims {length} bytes but at most {budget} are allowed");
        if (_input.Remaining is { } remaining && length > (ulong)remaining)
            throw _input.Fail($"a string claims {length} bytes but only {remaining} are left in the file (truncated or corrupt)");
        return (long)length;
    }

    private string ReadShortString(string what)
    {
        var length = ReadStringLength(_limits.MaxKeyBytes);
        var bytes = _input.Take((int)length);
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw _input.Fail($"{what} is not valid UTF-8");
        }
    }

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
