using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Unicode;
using TinySwap.Config;

namespace TinySwap.Proxy;

/// <summary>
/// Looks a requested name (model id, alias or setParamsByID name) up without allocating: its <see cref="ModelRoute"/>.
/// Matching is exact and case-sensitive, as llama-swap's <c>RealModelName</c> (a Go map lookup on ids, then aliases) is.
/// Build one per loaded config. Profile pins come before it: see <see cref="ModelResolver"/>.
/// </summary>
internal sealed class ModelNameIndex
{
    /// <summary>At most this many names are listed in an unknown-model message; the rest are counted.</summary>
    public const int MaxNamesInMessage = 50;

    /// <summary>A requested name longer than this many characters is echoed truncated in messages.</summary>
    public const int MaxEchoedNameLength = 200;

    private const int StackDecodeLimit = 256;

    // A Dictionary, not a FrozenDictionary: one lookup per request does not notice the difference, and the frozen
    // collections cost the AOT binary ~50 KB.
    private readonly Dictionary<string, ModelRoute> byName;
    private readonly Dictionary<string, ModelRoute>.AlternateLookup<ReadOnlySpan<char>> bySpan;
    private readonly Dictionary<string, ModelRoute>.AlternateLookup<ReadOnlySpan<char>> renamedBySpan;
    private readonly int longestNameUtf8;
    private readonly string knownNamesText;

    public ModelNameIndex(TinySwapConfig config)
    {
        var names = new Dictionary<string, ModelRoute>(StringComparer.Ordinal);
        foreach (var model in config.Models)
        {
            names[model.Id] = new ModelRoute(model, model.ParamsFor(model.Id));
            foreach (var alias in model.Aliases)
                names.TryAdd(alias, new ModelRoute(model, model.ParamsFor(alias)));
        }
        foreach (var (name, model) in config.ModelsByName)
            names.TryAdd(name, new ModelRoute(model, model.ParamsFor(name)));

        byName = names;
        bySpan = byName.GetAlternateLookup<ReadOnlySpan<char>>();
        var renamed = new Dictionary<string, ModelRoute>(names.Count, StringComparer.Ordinal);
        foreach (var (name, route) in names)
            renamed[name] = new ModelRoute(route.Model, route.Variant, renamedTo: name);
        renamedBySpan = renamed.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var name in names.Keys)
            longestNameUtf8 = Math.Max(longestNameUtf8, Encoding.UTF8.GetByteCount(name));
        ListedNames = ListedNamesOf(config);
        knownNamesText = FormatKnownNames(ListedNames);
    }

    /// <summary>
    /// The names a client may see: ids of models that are not <c>unlisted</c>, plus their aliases when
    /// <c>includeAliasesInList</c> is on — the same set /v1/models shows, sorted ordinally. Unknown-model messages list
    /// these and no others, so an unlisted model stays unadvertised.
    /// </summary>
    public ImmutableArray<string> ListedNames { get; }

    /// <summary>The longest configured name, in UTF-8 bytes: a longer requested name is no model's.</summary>
    public int LongestNameUtf8 => longestNameUtf8;

    public ModelConfig? Find(string name) => byName.GetValueOrDefault(name)?.Model;

    public ModelConfig? Find(ReadOnlySpan<char> name) => FindRoute(name)?.Model;

    public ModelRoute? FindRoute(string name) => byName.GetValueOrDefault(name);

    public ModelRoute? FindRoute(ReadOnlySpan<char> name) => bySpan.TryGetValue(name, out var route) ? route : null;

    /// <summary>The route of a name a profile pin or a selector rewrote the request to: the upstream receives that name.</summary>
    public ModelRoute? RenamedRoute(ReadOnlySpan<char> name) => renamedBySpan.TryGetValue(name, out var route) ? route : null;

    /// <summary>Looks up a UTF-8 name; invalid UTF-8 or a name longer than every configured one is simply unknown.</summary>
    public ModelConfig? FindUtf8(ReadOnlySpan<byte> name) =>
        name.Length <= longestNameUtf8 && TryDecodeThen(name, this, static (chars, index) => index.Find(chars), out var model) ? model : null;

    public ModelRoute? FindRouteUtf8(ReadOnlySpan<byte> name) =>
        name.Length <= longestNameUtf8 && TryDecodeThen(name, this, static (chars, index) => index.FindRoute(chars), out var route) ? route : null;

    /// <summary>
    /// Decodes UTF-8 <paramref name="name"/> on the stack (rented beyond 256 characters) and hands it to <paramref name="then"/>;
    /// false for invalid UTF-8.
    /// </summary>
    public static bool TryDecodeThen<TState, TResult>(ReadOnlySpan<byte> name, TState state, DecodedNameFunc<TState, TResult> then, out TResult? result)
    {
        result = default;
        char[]? rented = null;
        var chars = name.Length <= StackDecodeLimit
            ? stackalloc char[StackDecodeLimit]
            : rented = ArrayPool<char>.Shared.Rent(name.Length);
        try
        {
            var status = Utf8.ToUtf16(name, chars, out _, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
                return false;
            result = then(chars[..written], state);
            return true;
        }
        finally
        {
            if (rented is not null)
                ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>Message of the 404 for an unknown name: the (truncated) request and the names a client may use.</summary>
    public string UnknownModelMessage(ReadOnlySpan<char> requested)
    {
        var shown = requested.Length <= MaxEchoedNameLength ? requested : requested[..MaxEchoedNameLength];
        var ellipsis = shown.Length < requested.Length ? "…" : "";
        return $"model '{shown}{ellipsis}' not found; {knownNamesText}";
    }

    /// <summary><see cref="UnknownModelMessage(ReadOnlySpan{char})"/> for a UTF-8 name (invalid bytes shown as U+FFFD).</summary>
    public string UnknownModelMessageUtf8(ReadOnlySpan<byte> requested)
    {
        var bounded = requested.Length <= MaxEchoedNameLength * 4 ? requested : requested[..(MaxEchoedNameLength * 4)];
        return UnknownModelMessage(Encoding.UTF8.GetString(bounded));
    }

    private static ImmutableArray<string> ListedNamesOf(TinySwapConfig config)
    {
        var listed = ImmutableArray.CreateBuilder<string>();
        foreach (var model in config.Models)
        {
            if (model.Unlisted)
                continue;
            listed.Add(model.Id);
            if (!config.IncludeAliasesInList)
                continue;
            foreach (var alias in model.Aliases)
            {
                if (!model.UnlistedAliases.Contains(alias))
                    listed.Add(alias);
            }
        }
        listed.Sort(StringComparer.Ordinal);
        return listed.ToImmutable();
    }

    private static string FormatKnownNames(ImmutableArray<string> names)
    {
        if (names.IsEmpty)
            return "no models are available";
        var shown = string.Join(", ", names[..Math.Min(names.Length, MaxNamesInMessage)]);
        return names.Length <= MaxNamesInMessage
            ? "available models: " + shown
            : $"available models: {shown} and {names.Length - MaxNamesInMessage} more";
    }
}

/// <summary>What <see cref="ModelNameIndex.TryDecodeThen"/> calls with the decoded name.</summary>
internal delegate TResult DecodedNameFunc<in TState, out TResult>(ReadOnlySpan<char> name, TState state);
