using TinySwap.Config.Keys;

namespace TinySwap.Tests.Config;

/// <summary>Every key table of src/TinySwap/Config/Keys, seen without its row type: where it sits and its keys.</summary>
internal static class KeyTables
{
    public sealed record Row(string Name, KeyOrigin Origin, string Meaning);

    public sealed record Table(string Path, IReadOnlyList<Row> Rows)
    {
        public Row? Find(string name) => Rows.FirstOrDefault(r => r.Name == name);
    }

    public static IReadOnlyList<Table> All { get; } =
    [
        Of(GlobalKeys.Section), Of(ModelKeys.Section), Of(ModelKeys.Filters), Of(ModelKeys.Alias), Of(GroupKeys.Section),
        Of(PeerKeys.Section), Of(PeerKeys.Filters), Of(HookKeys.Section), Of(HookKeys.OnStartup), Of(LimitsKeys.Section),
        Of(CorsKeys.Section), Of(RoutingKeys.Section), Of(RoutingKeys.Router), Of(RoutingKeys.RouterSettings), Of(MatrixKeys.Section),
        Of(RoutingKeys.Scheduler), Of(RoutingKeys.SchedulerSettings), Of(RoutingKeys.Fifo), Of(LlamaCppKeys.Section),
        Of(LlamaCppKeys.Sampling), Of(LlamaCppKeys.Slots), Of(SelectorKeys.Section), Of(SelectorKeys.Settings), Of(UpstreamKeys.Section),
        Of(UpstreamKeys.Compat),
    ];

    public static Table? At(string path) => All.FirstOrDefault(t => t.Path == path);

    /// <summary>Whether the key at a llama-swap dotted path (models.ID.ttl) is still one tinyswap does not implement.</summary>
    public static bool IsNotImplemented(string path)
    {
        var dot = path.LastIndexOf('.');
        var table = At(dot < 0 ? "" : path[..dot]) ?? throw new ArgumentException($"no key table at '{path}'");
        var row = table.Find(path[(dot + 1)..]);
        return row is null || row.Origin == KeyOrigin.NotImplemented;
    }

    private static Table Of<T>(ConfigSection<T> section) =>
        new(section.Path, [.. section.Keys.ToArray().Select(k => new Row(k.Name, k.Origin, k.Meaning))]);
}
