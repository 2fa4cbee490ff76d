using System.Buffers;
using System.Text.Json;
using TinySwap.Config;
using TinySwap.Http.Parsing;
using TinySwap.Contracts;

namespace TinySwap.Api;

/// <summary>
/// GET /v1/models in OpenAI's list shape, with llama-swap's extras: <c>name</c>, <c>description</c>, <c>meta.llamaswap</c>
/// (the model's <c>metadata</c>, copied as raw JSON) and tinyswap's <c>state</c>. Unlisted models are hidden; aliases are
/// listed as entries of their own (with their model's fields and state) when <c>includeAliasesInList</c> is on; selectors
/// too (<see cref="SelectorListEntry"/>). Sorted by id.
/// GET /v1/models/{id} answers one entry of that list.
/// </summary>
internal static class ModelListWriter
{
    public const string OwnedBy = "tinyswap";

    /// <example><c>ModelListWriter.Write(output, config, statusSource.Snapshot(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());</c></example>
    public static void Write(IBufferWriter<byte> output, TinySwapConfig config, IReadOnlyList<ModelStatus> snapshot, long createdUnixSeconds)
    {
        var states = StatesById(snapshot);
        using var writer = new Utf8JsonWriter(output, ApiJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("object"u8, "list"u8);
        writer.WriteStartArray("data"u8);
        foreach (var (name, model, selector) in Entries(config))
        {
            if (selector is not null)
                SelectorListEntry.Write(writer, selector, states, createdUnixSeconds);
            else
                WriteEntry(writer, name, model!, states.GetValueOrDefault(model!.Id, ModelState.Stopped), createdUnixSeconds);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// GET /v1/models/{id}: the one entry the list holds under <paramref name="id"/>, as the list writes it (OpenAI's
    /// retrieve answers the list's object alone). False when the list has no such entry (unknown, or unlisted).
    /// </summary>
    public static bool WriteOne(IBufferWriter<byte> output, TinySwapConfig config, IReadOnlyList<ModelStatus> snapshot, string id, long createdUnixSeconds)
    {
        foreach (var (name, model, selector) in Entries(config))
        {
            if (!string.Equals(name, id, StringComparison.Ordinal))
                continue;
            using var writer = new Utf8JsonWriter(output, ApiJson.WriterOptions);
            if (selector is not null)
            {
                SelectorListEntry.Write(writer, selector, StatesById(snapshot), createdUnixSeconds);
                return true;
            }
            var state = ModelState.Stopped;
            foreach (var status in snapshot)
            {
                if (status.Id == model!.Id)
                    state = status.State;
            }
            WriteEntry(writer, name, model!, state, createdUnixSeconds);
            return true;
        }
        return false;
    }

    /// <summary>One entry of the list: a model (under its id or an alias) or a selector.</summary>
    private readonly record struct ListEntry(string Id, ModelConfig? Model, SelectorConfig? Selector);

    private static List<ListEntry> Entries(TinySwapConfig config)
    {
        var entries = new List<ListEntry>(config.Models.Length + config.Selectors.Length);
        foreach (var model in config.Models)
        {
            if (model.Unlisted)
                continue;
            entries.Add(new(model.Id, model, null));
            if (config.IncludeAliasesInList)
            {
                foreach (var alias in model.Aliases)
                    entries.Add(new(alias, model, null));
            }
        }
        foreach (var selector in config.Selectors)
        {
            if (!selector.Unlisted)
                entries.Add(new(selector.Id, null, selector));
        }
        entries.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return entries;
    }

    private static void WriteEntry(Utf8JsonWriter writer, string name, ModelConfig model, ModelState state, long createdUnixSeconds)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, name);
        writer.WriteString("object"u8, "model"u8);
        writer.WriteNumber("created"u8, createdUnixSeconds);
        writer.WriteString("owned_by"u8, OwnedBy);
        WriteIfPresent(writer, "name"u8, model.Name);
        WriteIfPresent(writer, "description"u8, model.Description);
        if (model.MetadataJson is { } metadata && JsonText.IsSingleValue(System.Text.Encoding.UTF8.GetBytes(metadata)))
        {
            writer.WriteStartObject("meta"u8);
            writer.WritePropertyName("llamaswap"u8);
            writer.WriteRawValue(metadata, skipInputValidation: true);
            writer.WriteEndObject();
        }
        writer.WriteString("state"u8, ModelStateNames.Utf8(state));
        writer.WriteEndObject();
    }

    internal static Dictionary<string, ModelState> StatesById(IReadOnlyList<ModelStatus> snapshot)
    {
        var states = new Dictionary<string, ModelState>(snapshot.Count, StringComparer.Ordinal);
        foreach (var status in snapshot)
            states[status.Id] = status.State;
        return states;
    }

    // llama-swap trims these and leaves them out when blank.
    internal static void WriteIfPresent(Utf8JsonWriter writer, ReadOnlySpan<byte> property, string? value)
    {
        var trimmed = value.AsSpan().Trim();
        if (!trimmed.IsEmpty)
            writer.WriteString(property, trimmed);
    }
}

/// <summary>Shared JSON writer settings of the API.</summary>
internal static class ApiJson
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
