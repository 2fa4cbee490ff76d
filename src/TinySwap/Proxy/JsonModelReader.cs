using System.Buffers;
using System.Text.Json;
using TinySwap.Http.Parsing;

namespace TinySwap.Proxy;

internal enum JsonModelStatus : byte
{
    /// <summary>The top-level <c>model</c> is a non-empty string, copied to the caller's buffer.</summary>
    Found,

    /// <summary>No top-level <c>model</c>, or an empty string (llama-swap treats both as missing).</summary>
    NoModel,

    /// <summary><c>model</c> is a number, null, object, array or boolean.</summary>
    ModelNotString,

    /// <summary>
    /// <c>model</c> appears twice at the top level. Parsers disagree on which one counts (gjson: first; Go, Python and
    /// nlohmann: last), so routing on one while the upstream reads the other is refused instead of guessed.
    /// </summary>
    DuplicateModel,

    /// <summary>The name does not fit the caller's buffer (size it from the longest configured name and it is unknown).</summary>
    ModelTooLong,

    /// <summary>Not valid JSON (RFC 8259), including an empty or truncated body and trailing bytes after the value.</summary>
    InvalidJson,

    /// <summary>Valid JSON, but the top-level value is not an object.</summary>
    NotAnObject,
}

/// <summary>Outcome of <see cref="JsonModelReader.Read(in ReadOnlySequence{byte}, Span{char})"/>.</summary>
/// <param name="ModelLength">Characters of the name written to the caller's buffer when <see cref="Status"/> is Found.</param>
/// <param name="Stream">The top-level <c>"stream"</c> is <c>true</c> (the response will be SSE).</param>
internal readonly record struct JsonModelResult(JsonModelStatus Status, int ModelLength, bool Stream);

/// <summary>
/// Reads the top-level <c>model</c> string of a JSON request body with <see cref="Utf8JsonReader"/>. The whole body is
/// validated (it is fully buffered anyway: the model may be its last member), so a truncated or corrupt body never routes.
/// </summary>
internal static class JsonModelReader
{
    /// <summary>Deeper than the reader's default 64, because tool schemas nest (past 64 levels the reader rents a small bit array).</summary>
    public const int MaxDepth = JsonText.MaxDepth;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = MaxDepth };

    /// <example><c>var r = JsonModelReader.Read(body, buffer); if (r.Status == JsonModelStatus.Found) index.Find(buffer[..r.ModelLength]);</c></example>
    public static JsonModelResult Read(in ReadOnlySequence<byte> body, Span<char> model)
    {
        var reader = new Utf8JsonReader(WithoutBom(body), Options);
        try
        {
            if (!reader.Read())
                return new JsonModelResult(JsonModelStatus.InvalidJson, 0, false);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return new JsonModelResult(reader.Read() ? JsonModelStatus.InvalidJson : JsonModelStatus.NotAnObject, 0, false);
            }
            return ReadMembers(ref reader, model);
        }
        catch (JsonException)
        {
            return new JsonModelResult(JsonModelStatus.InvalidJson, 0, false);
        }
        catch (InvalidOperationException)
        {
            // Thrown while transcoding a string that is not valid UTF-8.
            return new JsonModelResult(JsonModelStatus.InvalidJson, 0, false);
        }
    }

    /// <summary>Convenience for cold paths and tests: the name as a string (null unless Found).</summary>
    public static JsonModelResult Read(in ReadOnlySequence<byte> body, out string? model)
    {
        var buffer = new char[Math.Max(16, (int)Math.Min(body.Length, 1 << 20))];
        var result = Read(body, buffer);
        model = result.Status == JsonModelStatus.Found ? new string(buffer, 0, result.ModelLength) : null;
        return result;
    }

    /// <summary>The body without a leading UTF-8 byte order mark, which RFC 8259 §8.1 lets parsers ignore (Utf8JsonReader does not).</summary>
    internal static ReadOnlySequence<byte> WithoutBom(in ReadOnlySequence<byte> body)
    {
        if (body.Length < 3)
            return body;
        Span<byte> head = stackalloc byte[3];
        body.Slice(0, 3).CopyTo(head);
        return head is [0xEF, 0xBB, 0xBF] ? body.Slice(3) : body;
    }

    private static JsonModelResult ReadMembers(ref Utf8JsonReader reader, Span<char> model)
    {
        var status = JsonModelStatus.NoModel;
        var length = 0;
        var stream = false;
        var modelSeen = false;

        // Positioned on the root '{': each Read yields a top-level property name or the closing '}'.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                if (modelSeen)
                    status = JsonModelStatus.DuplicateModel;
                else
                    status = CopyModel(ref reader, model, out length);
                modelSeen = true;
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                stream = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                reader.Read();
            }
            reader.Skip();
        }

        // Anything after the root object (or a missing '}') makes the reader throw here.
        while (reader.Read()) { }
        return new JsonModelResult(status, status == JsonModelStatus.Found ? length : 0, stream);
    }

    private static JsonModelStatus CopyModel(ref Utf8JsonReader reader, Span<char> model, out int length)
    {
        length = 0;
        if (reader.TokenType != JsonTokenType.String)
            return JsonModelStatus.ModelNotString;

        // The escaped byte length bounds the unescaped character count, so CopyString cannot overflow when it fits.
        var rawLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (rawLength <= model.Length)
        {
            length = reader.CopyString(model);
        }
        else if (reader.ValueIsEscaped && rawLength <= 6L * model.Length)
        {
            // Escapes shrink on decoding (\u0061 is one character); only such a name can still fit.
            var text = reader.GetString()!;
            if (text.Length > model.Length)
                return JsonModelStatus.ModelTooLong;
            text.CopyTo(model);
            length = text.Length;
        }
        else
        {
            return JsonModelStatus.ModelTooLong;
        }
        return length == 0 ? JsonModelStatus.NoModel : JsonModelStatus.Found;
    }
}
