using System.Buffers;
using System.Text.Json;
using TinySwap.Config;
using TinySwap.Http.Parsing;
using TinySwap.Contracts;

namespace TinySwap.Api;

/// <summary>
/// GET /v1/models in OpenAI's list shape, with llama-swap's extras: <c>name</c>, <c>description</c>, <c>meta.llamaswap</c>
/// (the model's <c>metadata</c>, copied as raw JSON) and tinyswap's <c>state</c>. Unlisted models are hidden; aliases are
/// listed as entries of their own (with their model's fields and state) when <c>includeAliasesInList</c> is on. Sorted by id.
/// </summary>
internal static class ModelListWriter
{
    public const string OwnedBy = "tinyswap";

    /// <example><c>ModelListWriter.Write(output, config, statusSource.Snapshot(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());</c></example>
    public static void Write(IBufferWriter<byte> output, TinySwapConfig config, IReadOnlyList<ModelStatus> snapshot, long createdUnixSeconds)
    {
        var entries = new List<KeyValuePair<string, ModelConfig>>(config.Models.Length);
        foreach (var model in config.Models)
        {
            if (model.Unlisted)
                continue;
            entries.Add(new(model.Id, model));
            if (config.IncludeAliasesInList)
            {
                foreach (var alias in model.Aliases)
                    entries.Add(new(alias, model));
            }
        }
        entries.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var states = StatesById(snapshot);

        using var writer = new Utf8JsonWriter(output, ApiJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("object"u8, "list"u8);
        writer.WriteStartArray("data"u8);
        foreach (var (name, model) in entries)
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
            writer.WriteString("state"u8, ModelStateNames.Utf8(states.GetValueOrDefault(model.Id, ModelState.Stopped)));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static Dictionary<string, ModelState> StatesById(IReadOnlyList<ModelStatus> snapshot)
    {
        var states = new Dictionary<string, ModelState>(snapshot.Count, StringComparer.Ordinal);
        foreach (var status in snapshot)
            states[status.Id] = status.State;
        return states;
    }

    // llama-swap trims these and leaves them out when blank.
    private static void WriteIfPresent(Utf8JsonWriter writer, ReadOnlySpan<byte> property, string? value)
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
