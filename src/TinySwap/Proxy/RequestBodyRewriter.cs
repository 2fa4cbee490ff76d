using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;

namespace TinySwap.Proxy;

internal enum RewriteStatus : byte
{
    /// <summary>Nothing to change: send the original bytes (nothing was written).</summary>
    Unchanged,

    /// <summary>The new body is in the output; send exactly that many bytes.</summary>
    Rewritten,

    /// <summary>
    /// The body is not a JSON object (callers validate first with <see cref="JsonModelReader"/>, so this is a bug); the
    /// output may hold a partial body and must be discarded.
    /// </summary>
    NotAnObject,
}

/// <summary>
/// Applies a <see cref="RequestBodyFilter"/> to a JSON request body. Untouched members are copied as their original
/// bytes (key order, number spelling, escapes and inner whitespace preserved); only whitespace between top-level members
/// is dropped. Removed members disappear, set members replace the first occurrence in place or are appended in
/// configuration order, and the model member becomes <c>useModelName</c>.
/// </summary>
internal static class RequestBodyRewriter
{
    /// <summary>
    /// Writes the rewritten body to <paramref name="output"/> only when something changes; <paramref name="written"/> is then
    /// the exact Content-Length. A null filter is the fast path: nothing is parsed.
    /// </summary>
    /// <example><c>if (RequestBodyRewriter.Rewrite(body, route.BodyFilter, pooledWriter, out var length) == RewriteStatus.Rewritten) send(pooledWriter, length);</c></example>
    public static RewriteStatus Rewrite(in ReadOnlySequence<byte> body, RequestBodyFilter? filter, IBufferWriter<byte> output, out long written)
    {
        written = 0;
        if (filter is null)
            return RewriteStatus.Unchanged;
        try
        {
            // setParams always change the body; without them a first pass spares the copy when nothing matches.
            if (filter.Set.IsEmpty && !NeedsRewrite(body, filter))
                return RewriteStatus.Unchanged;
            written = WriteFiltered(body, filter, output);
            return RewriteStatus.Rewritten;
        }
        catch (JsonException)
        {
            written = 0;
            return RewriteStatus.NotAnObject;
        }
    }

    private static bool NeedsRewrite(in ReadOnlySequence<byte> body, RequestBodyFilter filter)
    {
        var reader = OpenObject(body);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                if (filter.UseModelName is { } name && !(reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(name)))
                    return true;
            }
            else if (IndexOf(ref reader, filter.Strip) >= 0)
            {
                return true;
            }
            else
            {
                reader.Read();
            }
            reader.Skip();
        }
        return false;
    }

    private static long WriteFiltered(in ReadOnlySequence<byte> body, RequestBodyFilter filter, IBufferWriter<byte> output)
    {
        var json = JsonModelReader.WithoutBom(body);
        var reader = OpenObject(json);
        Span<bool> setDone = filter.Set.Length <= 64 ? stackalloc bool[filter.Set.Length] : new bool[filter.Set.Length];
        var members = new MemberWriter(output);
        members.Open();

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var memberStart = reader.TokenStartIndex;
            var set = IndexOfSet(ref reader, filter);
            var isModel = set < 0 && filter.ModelMember is not null && reader.ValueTextEquals("model"u8);
            var strip = set < 0 && !isModel && IndexOf(ref reader, filter.Strip) >= 0;
            reader.Read();
            reader.Skip();

            if (set >= 0)
            {
                if (!setDone[set])
                    members.Add(filter.Set[set].Member);
                setDone[set] = true;
            }
            else if (isModel)
            {
                members.Add(filter.ModelMember!);
            }
            else if (!strip)
            {
                members.Add(json.Slice(memberStart, reader.BytesConsumed - memberStart));
            }
        }

        for (var i = 0; i < setDone.Length; i++)
        {
            if (!setDone[i])
                members.Add(filter.Set[i].Member);
        }
        members.Close();
        return members.Written;
    }

    private static Utf8JsonReader OpenObject(in ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(JsonModelReader.WithoutBom(body), new JsonReaderOptions { MaxDepth = JsonModelReader.MaxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("not an object");
        return reader;
    }

    private static int IndexOfSet(ref Utf8JsonReader reader, RequestBodyFilter filter)
    {
        for (var i = 0; i < filter.Set.Length; i++)
        {
            if (reader.ValueTextEquals(filter.Set[i].Name))
                return i;
        }
        return -1;
    }

    private static int IndexOf(ref Utf8JsonReader reader, ImmutableArray<byte[]> names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
                return i;
        }
        return -1;
    }

    /// <summary>Writes <c>{</c>, members separated by commas, <c>}</c>, counting bytes.</summary>
    private struct MemberWriter(IBufferWriter<byte> output)
    {
        private bool any;

        public long Written { get; private set; }

        public void Open() => Write("{"u8);

        public void Close() => Write("}"u8);

        public void Add(ReadOnlySpan<byte> member)
        {
            Separate();
            Write(member);
        }

        public void Add(in ReadOnlySequence<byte> member)
        {
            Separate();
            foreach (var segment in member)
                Write(segment.Span);
        }

        private void Separate()
        {
            if (any)
                Write(","u8);
            any = true;
        }

        private void Write(ReadOnlySpan<byte> bytes)
        {
            output.Write(bytes);
            Written += bytes.Length;
        }
    }
}
