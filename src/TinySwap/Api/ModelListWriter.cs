using System.Buffers;
using System.Text.Json;
using TinySwap.Config;
using TinySwap.Http.Parsing;
using TinySwap.Contracts;

namespace TinySwap.Api;

/// <summary>
/// GET /v1/models in OpenAI's list shape, with llama-swap's extras: <c>name</c>, <c>description</c>, <c>meta.llamaswap</c>
/// (the model's <c>metadata</c>, copied as raw JSON) and tinyswap's <c>state</c>. Unlisted models are hidden; aliases are
/// listed as entries of their own (with their model's fields and state) when <c>includeAliasesInList</c> is on. Sorted by id,
/// then the peer models by `PEER/MODEL` (<see cref="PeerListEntry"/>). GET /v1/models/{id} answers one entry of that list.
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
        foreach (var (name, model) in Entries(config))
            WriteEntry(writer, name, model, states.GetValueOrDefault(model.Id, ModelState.Stopped), createdUnixSeconds);
        foreach (var peerModel in config.PeerModels.Models)
            PeerListEntry.Write(writer, peerModel.QualifiedName, peerModel, createdUnixSeconds);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// GET /v1/models/{id}: the one entry the list holds under <paramref name="id"/>, as the list writes it (OpenAI's
    /// retrieve answers the list's object alone). False when the list has no such entry (unknown, or unlisted).
    /// </summary>
    public static bool WriteOne(IBufferWriter<byte> output, TinySwapConfig config, IReadOnlyList<ModelStatus> snapshot, string id, long createdUnixSeconds)
    {
        foreach (var (name, model) in Entries(config))
        {
            if (!string.Equals(name, id, StringComparison.Ordinal))
                continue;
            var state = ModelState.Stopped;
            foreach (var status in snapshot)
            {
                if (status.Id == model.Id)
                    state = status.State;
            }
            using var writer = new Utf8JsonWriter(output, ApiJson.WriterOptions);
            WriteEntry(writer, name, model, state, createdUnixSeconds);
            return true;
        }
        // A peer model by `PEER/MODEL`, or by the bare id a request would route to it (local ids and aliases won above).
        if (config.FindModel(id) is null && config.PeerModels.Find(id) is { } peerModel)
        {
            using var writer = new Utf8JsonWriter(output, ApiJson.WriterOptions);
            PeerListEntry.Write(writer, id, peerModel, createdUnixSeconds);
            return true;
        }
        return false;
    }

    private static List<KeyValuePair<string, ModelConfig>> Entries(TinySwapConfig config)
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
