using System.Collections.ObjectModel;
using TinySwap.Config.Keys;
using TinySwap.Config.Yaml;
using TinySwap.LlamaCpp.Memory;

namespace TinySwap.Config;

/// <summary>
/// `resources: auto`: detects the machine's memory, makes it the budget, and gives every model without declared
/// `resources:` its estimated need, before the validator runs; a model that can never fit is an error with the numbers.
/// </summary>
internal static class AutoResources
{
    public static ReadOnlyDictionary<string, long>? Apply(RawConfig raw, Dictionary<string, ModelConfig> models, DiagnosticBag diagnostics, ISystemMemorySource memory)
    {
        if (raw.ResourcesAuto is not { } node)
            return null;
        if (DetectedMemory.Detect(memory) is not { } detected)
        {
            diagnostics.Error(node, "resources: auto could not read MemTotal from /proc/meminfo; write the budgets out (e.g. memory_mb: 7000)");
            return ReadOnlyDictionary<string, long>.Empty;
        }
        var plan = AutoBudget.Plan(detected, models.Values.Select(m => new ModelMemory(m.Id, m.Resources, m.LlamaCpp?.Estimate)));
        foreach (var (id, message) in plan.Errors)
        {
            var rawModel = raw.Models.Find(m => m.Id == id);
            YamlNode at = rawModel?.LlamaCpp?.Node ?? rawModel?.KeyNode ?? node;
            diagnostics.Error(at, $"models.{id}: {message}");
        }
        foreach (var (id, need) in plan.Needs)
            models[id] = models[id] with { Resources = need };
        return new ReadOnlyDictionary<string, long>(new Dictionary<string, long>(plan.Budgets));
    }
}
