using System.Text;
using TinySwap.Config.Keys;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Config;

/// <summary>
/// README's config reference is rendered from the key tables (src/TinySwap/Config/Keys), so it lists exactly the keys
/// tinyswap knows, with their defaults. After changing a table, regenerate it: TINYSWAP_WRITE_README=1 dotnet test
/// --filter ConfigReferenceTests.
/// </summary>
public sealed class ConfigReferenceTests
{
    private const string Begin = "<!-- config keys: generated from src/TinySwap/Config/Keys by ConfigReferenceTests; edit the tables, not this -->";
    private const string End = "<!-- config keys: end -->";

    [Fact]
    public void Readme_ListsExactlyTheKeysOfTheTables()
    {
        var path = Path.Combine(RepoPaths.Root, "README.md");
        var readme = File.ReadAllText(path);
        var begin = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "README.md lacks the generated config-keys block markers");
        var expected = Render();
        var actual = readme[(begin + Begin.Length)..end];
        if (actual != expected && Environment.GetEnvironmentVariable("TINYSWAP_WRITE_README") == "1")
        {
            File.WriteAllText(path, readme[..(begin + Begin.Length)] + expected + readme[end..]);
            return;
        }
        Assert.True(actual == expected, "README's config reference differs from the key tables; run TINYSWAP_WRITE_README=1 dotnet test --filter ConfigReferenceTests. Expected:\n" + expected);
    }

    [Fact]
    public void EveryKey_HasAMeaning_AndNamesAreUniquePerSection()
    {
        foreach (var (names, meanings) in new[]
        {
            Describe(GlobalKeys.Section), Describe(ModelKeys.Section), Describe(ModelKeys.Filters), Describe(ModelKeys.Alias),
            Describe(GroupKeys.Section), Describe(PeerKeys.Section), Describe(PeerKeys.Filters), Describe(PeerKeys.Timeouts), Describe(HookKeys.Section),
            Describe(HookKeys.OnStartup), Describe(LimitsKeys.Section), Describe(CorsKeys.Section), Describe(RoutingKeys.Section),
            Describe(RoutingKeys.Router), Describe(RoutingKeys.RouterSettings), Describe(MatrixKeys.Section), Describe(RoutingKeys.Scheduler),
            Describe(RoutingKeys.SchedulerSettings), Describe(RoutingKeys.Fifo), Describe(LlamaCppKeys.Section),
            Describe(LlamaCppKeys.Sampling), Describe(LlamaCppKeys.Slots), Describe(SelectorKeys.Section), Describe(SelectorKeys.Settings),
        })
        {
            Assert.Equal(names.Length, names.Distinct().Count());
            Assert.All(meanings, m => Assert.False(string.IsNullOrWhiteSpace(m)));
        }
    }

    private static (string[] Names, IEnumerable<string> Meanings) Describe<T>(ConfigSection<T> section) =>
        (section.Names, section.Keys.ToArray().Where(k => k.Origin != KeyOrigin.NotImplemented).Select(k => k.Meaning));

    internal static string Render()
    {
        var text = new StringBuilder("\n");
        Table(text, GlobalKeys.Section);
        Table(text, ModelKeys.Section);
        Table(text, ModelKeys.Filters);
        Table(text, ModelKeys.Alias);
        Table(text, LlamaCppKeys.Section);
        Table(text, LlamaCppKeys.Sampling);
        Table(text, LlamaCppKeys.Slots);
        Table(text, GroupKeys.Section);
        Table(text, PeerKeys.Section);
        Table(text, PeerKeys.Filters);
        Table(text, PeerKeys.Timeouts);
        Table(text, SelectorKeys.Section);
        Table(text, SelectorKeys.Settings);
        Table(text, HookKeys.Section);
        Table(text, HookKeys.OnStartup);
        Table(text, LimitsKeys.Section);
        Table(text, CorsKeys.Section);
        Table(text, RoutingKeys.Section);
        Table(text, RoutingKeys.Router);
        Table(text, RoutingKeys.RouterSettings);
        Table(text, MatrixKeys.Section);
        Table(text, RoutingKeys.Scheduler);
        Table(text, RoutingKeys.SchedulerSettings);
        Table(text, RoutingKeys.Fifo);
        text.Append("### llama-swap keys accepted but not implemented yet\n\n");
        text.Append("These load with a warning naming them and have no effect:\n\n");
        NotImplemented(text, GlobalKeys.Section);
        NotImplemented(text, ModelKeys.Section);
        NotImplemented(text, ModelKeys.Filters);
        NotImplemented(text, ModelKeys.Alias);
        NotImplemented(text, PeerKeys.Section);
        NotImplemented(text, RoutingKeys.RouterSettings);
        return text.Append('\n').ToString();
    }

    private static void Table<T>(StringBuilder text, ConfigSection<T> section)
    {
        text.Append("### ").Append(section.Heading);
        if (section.Path.Length > 0)
            text.Append(" (`").Append(section.Path).Append("`)");
        text.Append("\n\n| key | default | meaning |\n| --- | --- | --- |\n");
        foreach (var key in section.Keys.ToArray().Where(k => k.Origin != KeyOrigin.NotImplemented))
        {
            var who = key.Origin == KeyOrigin.Ours ? "(tinyswap) " : "";
            text.Append($"| `{key.Name}` | {key.DefaultText} | {who}{key.Meaning} |\n");
        }
        if (section.AllowsExtensionKeys)
            text.Append("| `x-anything` | | ignored; a place for YAML anchors (`x-defaults: &defaults ...`, then `<<: *defaults`) |\n");
        text.Append('\n');
    }

    private static void NotImplemented<T>(StringBuilder text, ConfigSection<T> section)
    {
        var names = section.Keys.ToArray().Where(k => k.Origin == KeyOrigin.NotImplemented).Select(k => $"`{k.Name}`").ToList();
        if (names.Count > 0)
            text.Append("- ").Append(section.Path.Length == 0 ? "top level" : $"`{section.Path}`").Append(": ").AppendJoin(", ", names).Append('\n');
    }
}
