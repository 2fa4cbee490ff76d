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
        foreach (var table in KeyTables.All)
        {
            Assert.Equal(table.Rows.Count, table.Rows.DistinctBy(r => r.Name).Count());
            Assert.All(table.Rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Meaning), $"{table.Path}.{r.Name} has no meaning (or no reason, when not implemented)"));
        }
    }

    internal static string Render()
    {
        var text = new StringBuilder("\n");
        Table(text, GlobalKeys.Section);
        Table(text, ModelKeys.Section);
        Table(text, ModelKeys.Filters);
        Table(text, ModelKeys.Alias);
        Table(text, UpstreamKeys.Compat);
        Table(text, LlamaCppKeys.Section);
        Table(text, LlamaCppKeys.Sampling);
        Table(text, LlamaCppKeys.Slots);
        Table(text, GroupKeys.Section);
        Table(text, PeerKeys.Section);
        Table(text, PeerKeys.Filters);
        Table(text, SelectorKeys.Section);
        Table(text, SelectorKeys.Settings);
        Table(text, HookKeys.Section);
        Table(text, HookKeys.OnStartup);
        Table(text, LimitsKeys.Section);
        Table(text, CorsKeys.Section);
        Table(text, UpstreamKeys.Section);
        Table(text, RoutingKeys.Section);
        Table(text, RoutingKeys.Router);
        Table(text, RoutingKeys.RouterSettings);
        Table(text, MatrixKeys.Section);
        Table(text, RoutingKeys.Scheduler);
        Table(text, RoutingKeys.SchedulerSettings);
        Table(text, RoutingKeys.Fifo);
        text.Append("### llama-swap keys accepted but not implemented yet\n\n");
        text.Append("These load with a warning naming them and have no effect (LlamaSwapKeysTests checks that every key of llama-swap's\n");
        text.Append("config structs is in the tables above or here):\n\n| key | why |\n| --- | --- |\n");
        NotImplemented(text, GlobalKeys.Section);
        NotImplemented(text, ModelKeys.Section);
        NotImplemented(text, ModelKeys.Filters);
        NotImplemented(text, ModelKeys.Alias);
        NotImplemented(text, PeerKeys.Section);
        NotImplemented(text, PeerKeys.Filters);
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
        foreach (var key in section.Keys.ToArray().Where(k => k.Origin == KeyOrigin.NotImplemented))
            text.Append("| `").Append(section.Path.Length == 0 ? key.Name : $"{section.Path}.{key.Name}").Append("` | ").Append(key.Meaning).Append(" |\n");
    }
}
