using System.Collections.Immutable;
using TinySwap.Config;

namespace TinySwap.Tests.Proxy;

/// <summary>Hand-built configs for proxy and API tests.</summary>
internal static class TestModels
{
    public static ModelConfig Model(string id, params string[] aliases) => new()
    {
        Id = id,
        Proxy = new Uri("http://127.0.0.1:5800"),
        Aliases = [.. aliases],
        Fingerprint = id,
    };

    public static TinySwapConfig Config(params ModelConfig[] models) => Config(includeAliases: false, models);

    public static TinySwapConfig Config(bool includeAliases, params ModelConfig[] models)
    {
        var byName = ImmutableDictionary.CreateBuilder<string, ModelConfig>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            byName[model.Id] = model;
            foreach (var alias in model.Aliases)
                byName[alias] = model;
        }
        return new TinySwapConfig
        {
            SourcePath = "/test/config.yaml",
            Models = [.. models.OrderBy(m => m.Id, StringComparer.Ordinal)],
            ModelsByName = byName.ToImmutable(),
            IncludeAliasesInList = includeAliases,
        };
    }
}
