using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TinySwap.Config;
using TinySwap.Http.Parsing;

namespace TinySwap.Proxy;

/// <summary>
/// One route's request rewrites, prepared once per model or <see cref="ModelRoute"/>: <c>useModelName</c> (or a profile
/// pin's target), <c>filters.stripParams</c>, <c>filters.setParams</c> and the requested name's <c>filters.setParamsByID</c>,
/// as UTF-8 names and ready-to-copy <c>"name":value</c> bytes.
/// </summary>
/// <remarks>
/// llama-swap semantics: <c>model</c> is protected (never stripped, never set by setParams); strip runs before set, so a
/// key in both ends up set. Keys are literal top-level names — llama-swap hands them to sjson, where a dot would address a
/// nested field; nested paths are not supported here.
/// </remarks>
internal sealed class RequestBodyFilter
{
    private static readonly char[] JsonWhitespace = [' ', '\t', '\r', '\n'];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Non-ASCII stays as UTF-8 instead of \uXXXX: same meaning, and the upstream sees the bytes the user wrote.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private RequestBodyFilter(ImmutableArray<byte[]> strip, ImmutableArray<SetMember> set, byte[]? modelMember)
    {
        Strip = strip;
        Set = set;
        ModelMember = modelMember;
    }

    /// <summary>Unescaped UTF-8 names of the top-level members to remove.</summary>
    public ImmutableArray<byte[]> Strip { get; }

    /// <summary>Members to set, in configuration order.</summary>
    public ImmutableArray<SetMember> Set { get; }

    /// <summary><c>"model":"&lt;useModelName or pin target&gt;"</c>, or null when the upstream sees the requested name.</summary>
    public byte[]? ModelMember { get; }

    /// <summary>The value of <see cref="ModelMember"/> as UTF-8, for the "already equal" check.</summary>
    public byte[]? UseModelName { get; private init; }

    /// <summary>The filter of <paramref name="model"/> reached under a name without a setParamsByID entry or a pin; null when it rewrites nothing.</summary>
    public static RequestBodyFilter? For(ModelConfig model) => Build(model, null, model.UseModelName);

    /// <summary>
    /// The filter of a model reached under a name: its stripParams and setParams, then the name's setParamsByID entry
    /// (<paramref name="variant"/>, which overrides setParams of the same key, as llama-swap applies it after them), and
    /// <paramref name="upstreamName"/> as the body's <c>model</c>. Null when that rewrites nothing.
    /// </summary>
    public static RequestBodyFilter? Build(ModelConfig model, ParamsById? variant, string? upstreamName) =>
        Build($"model '{model.Id}'", model.StripParams, model.SetParams, variant, upstreamName);

    /// <summary>
    /// A peer model's filter: the peer's stripParams and setParams, and <c>model</c> set to the id the peer knows
    /// (llama-swap rewrites <c>PEER/MODEL</c> to <c>MODEL</c>). Cached per <see cref="PeerModel"/> instance, so a reload
    /// builds new ones; null when it rewrites nothing.
    /// </summary>
    public static RequestBodyFilter? For(PeerModel peerModel)
    {
        var filter = PeerCache.GetValue(peerModel,
            static m => Build($"peer model '{m.QualifiedName}'", m.Peer.StripParams, m.Peer.SetParams, null, m.ModelId) ?? NoFilter);
        return ReferenceEquals(filter, NoFilter) ? null : filter;
    }

    private static readonly ConditionalWeakTable<PeerModel, RequestBodyFilter> PeerCache = new();
    private static readonly RequestBodyFilter NoFilter = new([], [], null);

    /// <summary>
    /// Throws when a setParams value is not JSON: the config loader validates them, so that is a bug, not user input.
    /// </summary>
    private static RequestBodyFilter? Build(string owner, ImmutableArray<string> stripParams, ImmutableArray<KeyValuePair<string, string>> setParams,
        ParamsById? variant, string? upstreamName)
    {
        var strip = ImmutableArray.CreateBuilder<byte[]>();
        foreach (var raw in stripParams)
        {
            var name = raw.Trim();
            if (name.Length == 0 || name == "model")
                continue;
            var utf8 = Encoding.UTF8.GetBytes(name);
            if (!strip.Any(s => s.AsSpan().SequenceEqual(utf8)))
                strip.Add(utf8);
        }

        var set = ImmutableArray.CreateBuilder<SetMember>();
        AddSetMembers(set, owner, setParams, "setParams");
        if (variant is not null)
            AddSetMembers(set, owner, variant.SetParams, "setParamsByID." + variant.Name);

        byte[]? modelMember = null;
        byte[]? useModelName = null;
        if (!string.IsNullOrEmpty(upstreamName))
        {
            useModelName = Encoding.UTF8.GetBytes(upstreamName);
            modelMember = Member("model", writer => writer.WriteStringValue(upstreamName));
        }

        if (strip.Count == 0 && set.Count == 0 && modelMember is null)
            return null;
        return new RequestBodyFilter(strip.ToImmutable(), set.ToImmutable(), modelMember) { UseModelName = useModelName };
    }

    // A later member of the same name replaces an earlier one: setParamsByID wins over setParams.
    private static void AddSetMembers(ImmutableArray<SetMember>.Builder set, string owner, ImmutableArray<KeyValuePair<string, string>> parameters, string source)
    {
        foreach (var (name, json) in parameters)
        {
            if (name == "model")
                continue;
            var value = Encoding.UTF8.GetBytes(json.Trim(JsonWhitespace));
            if (!JsonText.IsSingleValue(value))
                throw new ArgumentException($"{owner}: {source}.{name} is not a JSON value: {json}", nameof(parameters));
            var utf8 = Encoding.UTF8.GetBytes(name);
            set.RemoveAll(s => s.Name.AsSpan().SequenceEqual(utf8));
            set.Add(new SetMember(utf8, Member(name, value)));
        }
    }

    private static byte[] Member(string name, byte[] rawValue) => Member(name, writer => writer.WriteRawValue(rawValue, skipInputValidation: true));

    private static byte[] Member(string name, Action<Utf8JsonWriter> writeValue)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WritePropertyName(name);
            writeValue(writer);
        }
        return output.WrittenSpan.ToArray();
    }
}

/// <summary>A setParams entry: the unescaped UTF-8 name to match and the <c>"name":value</c> bytes to write.</summary>
internal sealed record SetMember(byte[] Name, byte[] Member);
