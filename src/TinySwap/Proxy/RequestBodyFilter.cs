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
/// One model's request rewrites, prepared once per <see cref="ModelConfig"/>: <c>useModelName</c>,
/// <c>filters.stripParams</c> and <c>filters.setParams</c>, as UTF-8 names and ready-to-copy <c>"name":value</c> bytes.
/// </summary>
/// <remarks>
/// llama-swap semantics: <c>model</c> is protected (never stripped, never set by setParams); strip runs before set, so a
/// key in both ends up set. Keys are literal top-level names — llama-swap hands them to sjson, where a dot would address a
/// nested field; nested paths are not supported here.
/// </remarks>
internal sealed class RequestBodyFilter
{
    private static readonly ConditionalWeakTable<ModelConfig, RequestBodyFilter> Cache = new();
    private static readonly RequestBodyFilter NoFilter = new([], [], null);
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

    /// <summary><c>"model":"&lt;useModelName&gt;"</c>, or null when the upstream sees the requested name.</summary>
    public byte[]? ModelMember { get; }

    /// <summary>The value of <see cref="ModelMember"/> as UTF-8, for the "already equal" check.</summary>
    public byte[]? UseModelName { get; private init; }

    /// <summary>
    /// The model's filter, or null when it rewrites nothing (then the body is forwarded untouched, never parsed twice).
    /// Cached per <see cref="ModelConfig"/> instance, so a reload builds new ones. Throws when a setParams value is not
    /// JSON: the config loader validates them, so that is a bug, not user input.
    /// </summary>
    /// <example><c>var filter = RequestBodyFilter.For(model);</c></example>
    public static RequestBodyFilter? For(ModelConfig model)
    {
        var filter = Cache.GetValue(model, Build);
        return ReferenceEquals(filter, NoFilter) ? null : filter;
    }

    /// <summary>A filter that only makes the body's <c>model</c> name <paramref name="model"/> (a selector's target).</summary>
    public static RequestBodyFilter RenameModel(string model) =>
        new([], [], Member("model", writer => writer.WriteStringValue(model))) { UseModelName = Encoding.UTF8.GetBytes(model) };

    private static RequestBodyFilter Build(ModelConfig model)
    {
        var strip = ImmutableArray.CreateBuilder<byte[]>();
        foreach (var raw in model.StripParams)
        {
            var name = raw.Trim();
            if (name.Length == 0 || name == "model")
                continue;
            var utf8 = Encoding.UTF8.GetBytes(name);
            if (!strip.Any(s => s.AsSpan().SequenceEqual(utf8)))
                strip.Add(utf8);
        }

        var set = ImmutableArray.CreateBuilder<SetMember>();
        foreach (var (name, json) in model.SetParams)
        {
            if (name == "model")
                continue;
            var value = Encoding.UTF8.GetBytes(json.Trim(JsonWhitespace));
            if (!JsonText.IsSingleValue(value))
                throw new ArgumentException($"model '{model.Id}': setParams.{name} is not a JSON value: {json}", nameof(model));
            var utf8 = Encoding.UTF8.GetBytes(name);
            set.RemoveAll(s => s.Name.AsSpan().SequenceEqual(utf8));
            set.Add(new SetMember(utf8, Member(name, value)));
        }

        byte[]? modelMember = null;
        byte[]? useModelName = null;
        if (!string.IsNullOrEmpty(model.UseModelName))
        {
            useModelName = Encoding.UTF8.GetBytes(model.UseModelName);
            modelMember = Member("model", writer => writer.WriteStringValue(model.UseModelName));
        }

        if (strip.Count == 0 && set.Count == 0 && modelMember is null)
            return NoFilter;
        return new RequestBodyFilter(strip.ToImmutable(), set.ToImmutable(), modelMember) { UseModelName = useModelName };
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
