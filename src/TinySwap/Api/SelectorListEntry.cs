using System.Text.Json;
using TinySwap.Config;
using TinySwap.Contracts;

namespace TinySwap.Api;

/// <summary>
/// A selector's entry in /v1/models, as llama-swap lists it: `name`, `description`, and `meta.llamaswap` holding its
/// `metadata` plus `type: selector`, `strategy`, `targets` (and `spillover` for that strategy). Its `state` is the
/// state of the target a request would go to now: pin's first target; otherwise the first ready or starting local
/// target, else the first target (llama-swap shows these as loaded / unloaded).
/// </summary>
internal static class SelectorListEntry
{
    public static void Write(Utf8JsonWriter writer, SelectorConfig selector, IReadOnlyDictionary<string, ModelState> states, long createdUnixSeconds)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, selector.Id);
        writer.WriteString("object"u8, "model"u8);
        writer.WriteNumber("created"u8, createdUnixSeconds);
        writer.WriteString("owned_by"u8, ModelListWriter.OwnedBy);
        ModelListWriter.WriteIfPresent(writer, "name"u8, selector.Name);
        ModelListWriter.WriteIfPresent(writer, "description"u8, selector.Description);
        writer.WriteStartObject("meta"u8);
        writer.WriteStartObject("llamaswap"u8);
        WriteMetadata(writer, selector.MetadataJson);
        writer.WriteString("type"u8, "selector"u8);
        writer.WriteString("strategy"u8, selector.StrategyName);
        writer.WriteStartArray("targets"u8);
        foreach (var target in selector.Targets)
            writer.WriteStringValue(target.Name);
        writer.WriteEndArray();
        if (selector.Strategy == SelectorStrategy.Spillover)
            writer.WriteNumber("spillover"u8, selector.Spillover);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteString("state"u8, ModelStateNames.Utf8(StateOf(selector, states)));
        writer.WriteEndObject();
    }

    private static ModelState StateOf(SelectorConfig selector, IReadOnlyDictionary<string, ModelState> states)
    {
        ModelState Local(SelectorTarget target) => target.ModelId is { } id ? states.GetValueOrDefault(id, ModelState.Stopped) : ModelState.Stopped;
        if (selector.Strategy == SelectorStrategy.Pin)
            return Local(selector.Targets[0]);
        var current = new ModelState[selector.Targets.Length];
        for (var i = 0; i < current.Length; i++)
            current[i] = Local(selector.Targets[i]);
        return current[SelectorChooser.Warm(current)];
    }

    // The user's keys first; ours (type, strategy, targets, spillover) win over the same names, as in llama-swap.
    private static void WriteMetadata(Utf8JsonWriter writer, string? metadataJson)
    {
        if (metadataJson is null)
            return;
        using var metadata = JsonDocument.Parse(metadataJson);
        foreach (var property in metadata.RootElement.EnumerateObject())
        {
            if (property.Name is not ("type" or "strategy" or "targets" or "spillover"))
                property.WriteTo(writer);
        }
    }
}
