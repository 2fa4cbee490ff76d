using System.Buffers;
using System.Text.Json;
using TinySwap.Config;
using TinySwap.Http.Parsing;
using TinySwap.Contracts;

namespace TinySwap.Api;

/// <summary>
/// GET /v1/models in OpenAI's list shape, with llama-swap's extras: <c>name</c>, <c>description</c>, <c>meta.llamaswap</c>
/// (the model's <c>metadata</c>, copied as raw JSON) and tinyswap's <c>state</c>. Unlisted models are hidden; aliases
/// (setParamsByID names included) are listed as entries of their own (with their model's fields and state, and the
/// alias's own <c>name</c> if it has one) when <c>includeAliasesInList</c> is on, except <c>unlisted</c> ones. The active
/// profile's pins that are no other name are listed too (id and their target's state only), as llama-swap lists them;
/// selectors too (<see cref="SelectorListEntry"/>), and peer models as `PEER/MODEL` (<see cref="PeerListEntry"/>). Sorted
/// by id. GET /v1/models/{id} answers one entry of that list.
/// </summary>
internal static class ModelListWriter
{
    public const string OwnedBy = "tinyswap";

    /// <example><c>ModelListWriter.Write(output, config, statusSource.Snapshot(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());</c></example>
    public static void Write(IBufferWriter<byte> output, TinySwapConfig config, IReadOnlyList<ModelStatus> snapshot, long createdUnixSeconds,
        ProfileConfig? activeProfile = null)
    {
        var states = StatesById(snapshot);
        using var writer = new Utf8JsonWriter(output, ApiJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("object"u8, "list"u8);
        writer.WriteStartArray("data"u8);
        foreach (var entry in Entries(config, activeProfile))
        {
            if (entry.Selector is not null)
                SelectorListEntry.Write(writer, entry.Selector, states, createdUnixSeconds);
            else if (entry.Peer is not null)
                PeerListEntry.Write(writer, entry.Id, entry.Peer, createdUnixSeconds);
            else
                WriteEntry(writer, entry, states.GetValueOrDefault(entry.Model!.Id, ModelState.Stopped), createdUnixSeconds);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// GET /v1/models/{id}: the one entry the list holds under <paramref name="id"/>, as the list writes it (OpenAI's
    /// retrieve answers the list's object alone). False when the list has no such entry (unknown, or unlisted).
    /// </summary>
    public static bool WriteOne(IBufferWriter<byte> output, TinySwapConfig config, IReadOnlyList<ModelStatus> snapshot, string id, long createdUnixSeconds,
        ProfileConfig? activeProfile = null)
    {
        foreach (var entry in Entries(config, activeProfile))
        {
            if (!string.Equals(entry.Id, id, StringComparison.Ordinal))
                continue;
            using var writer = new Utf8JsonWriter(output, ApiJson.WriterOptions);
            if (entry.Selector is not null)
            {
                SelectorListEntry.Write(writer, entry.Selector, StatesById(snapshot), createdUnixSeconds);
                return true;
            }
            if (entry.Peer is not null)
            {
                PeerListEntry.Write(writer, entry.Id, entry.Peer, createdUnixSeconds);
                return true;
            }
            var state = ModelState.Stopped;
            foreach (var status in snapshot)
            {
                if (status.Id == entry.Model!.Id)
                    state = status.State;
            }
            WriteEntry(writer, entry, state, createdUnixSeconds);
            return true;
        }
        // The bare id a request would route to a peer (local names and selectors, listed, would have matched above).
        if (config.FindModel(id) is null && config.PeerModels.Find(id) is { } bare)
        {
            using var writer = new Utf8JsonWriter(output, ApiJson.WriterOptions);
            PeerListEntry.Write(writer, id, bare, createdUnixSeconds);
            return true;
        }
        return false;
    }

    /// <summary>One entry of the list: the id shown and the model behind it (a profile pin is shown bare), a selector or a peer model.</summary>
    private readonly record struct Entry(string Id, ModelConfig? Model, string? Name, bool IsPin = false, SelectorConfig? Selector = null,
        PeerModel? Peer = null);

    private static List<Entry> Entries(TinySwapConfig config, ProfileConfig? activeProfile)
    {
        var entries = new List<Entry>(config.Models.Length + config.Selectors.Length + config.PeerModels.Models.Length);
        foreach (var model in config.Models)
        {
            if (model.Unlisted)
                continue;
            entries.Add(new(model.Id, model, model.Name));
            if (!config.IncludeAliasesInList)
                continue;
            foreach (var alias in model.Aliases)
            {
                if (!model.UnlistedAliases.Contains(alias))
                    entries.Add(new(alias, model, model.ListedNameOf(alias)));
            }
        }
        foreach (var selector in config.Selectors)
        {
            if (!selector.Unlisted)
                entries.Add(new(selector.Id, null, null, Selector: selector));
        }
        if (activeProfile is not null)
        {
            // A pin that is also a model id, alias or selector (listed or not) keeps that entry; a switched-off pin adds nothing.
            foreach (var (pin, target) in activeProfile.Pins)
            {
                if (target is not null && config.FindModel(pin) is null && !IsSelector(config, pin) && config.FindModel(target) is { } model)
                    entries.Add(new(pin, model, null, IsPin: true));
            }
        }
        foreach (var peer in config.PeerModels.Models)
        {
            // A pin of the same name shadows the peer model (pins resolve first), so only the pin is listed.
            if (activeProfile is null || !activeProfile.Pins.Any(p => p.Key == peer.QualifiedName))
                entries.Add(new(peer.QualifiedName, null, null, Peer: peer));
        }
        entries.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return entries;
    }

    private static bool IsSelector(TinySwapConfig config, string name)
    {
        foreach (var selector in config.Selectors)
        {
            if (selector.Id == name)
                return true;
        }
        return false;
    }

    private static void WriteEntry(Utf8JsonWriter writer, in Entry entry, ModelState state, long createdUnixSeconds)
    {
        var model = entry.Model!;
        writer.WriteStartObject();
        writer.WriteString("id"u8, entry.Id);
        writer.WriteString("object"u8, "model"u8);
        writer.WriteNumber("created"u8, createdUnixSeconds);
        writer.WriteString("owned_by"u8, OwnedBy);
        if (entry.IsPin)
        {
            writer.WriteString("state"u8, ModelStateNames.Utf8(state));
            writer.WriteEndObject();
            return;
        }
        WriteIfPresent(writer, "name"u8, entry.Name);
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
