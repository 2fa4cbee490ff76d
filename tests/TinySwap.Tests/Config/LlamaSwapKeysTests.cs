using TinySwap.Config.Keys;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Config;

/// <summary>
/// Compat/llama-swap-keys.txt lists every key of llama-swap's config structs (generated from their yaml tags by
/// Compat/llama-swap-keys.py at the commit it names). Each must be a key of tinyswap's tables, implemented or
/// marked NotImplemented (README then lists it with why), so a key llama-swap adds fails here until it is placed.
/// </summary>
public sealed class LlamaSwapKeysTests
{
    // llama-swap spells some sections in two places that tinyswap reads with one table.
    private static readonly (string LlamaSwap, string Ours)[] SamePlace =
    [
        ("matrix", "routing.router.settings.matrix"),
        ("routing.router.settings.groups.ID", "groups.ID"),
    ];

    private static string KeyFile => Path.Combine(RepoPaths.Root, "tests", "TinySwap.Tests", "Config", "Compat", "llama-swap-keys.txt");

    public static TheoryData<string> Keys() => [.. KeyLines()];

    private static string[] KeyLines() => [.. File.ReadAllLines(KeyFile).Where(l => l.Length > 0 && l[0] != '#')];

    [Theory]
    [MemberData(nameof(Keys))]
    public void LlamaSwapKey_IsInTinySwapsTables(string key) => Assert.Null(Place(key));

    [Fact]
    public void KeyList_ComesFromARecentLlamaSwap()
    {
        var header = File.ReadLines(KeyFile).First();
        Assert.Matches(@"^# llama-swap's config keys at mostlygeek/llama-swap [0-9a-f]{40} \(v2\d\d", header);
        Assert.True(KeyLines().Length > 100, "the key list is suspiciously short: regenerate it");
    }

    [Theory]
    [InlineData("models.ID.ttl", null)]
    [InlineData("models.ID.timeouts.connect", null)] // inside a key tinyswap does not implement
    [InlineData("matrix.sets", null)]
    [InlineData("routing.router.settings.groups.ID.swap", null)]
    [InlineData("models.ID.newKey", "models.ID: llama-swap key 'newKey' is in no table of tinyswap")]
    [InlineData("newSection.key", "llama-swap key 'newSection' is in no table of tinyswap")]
    [InlineData("hooks.on_startup.preload.more", "hooks.on_startup.preload: tinyswap reads it, but not its key 'more'")]
    public void Place_FindsTheKeyOrSaysWhyNot(string key, string? problem) => Assert.Equal(problem, Place(key));

    /// <summary>Null when tinyswap's tables place the key; otherwise what is wrong.</summary>
    private static string? Place(string key)
    {
        foreach (var (llamaSwap, ours) in SamePlace)
        {
            if (key.StartsWith(llamaSwap + ".", StringComparison.Ordinal))
                key = ours + key[llamaSwap.Length..];
        }
        var parts = key.Split('.');
        // The deepest table that holds a prefix of the key decides: a key it implements must be the whole key, one it
        // does not implement covers everything under it.
        for (var length = parts.Length; length >= 1; length--)
        {
            var table = KeyTables.At(string.Join('.', parts[..(length - 1)]));
            if (table is null)
                continue;
            var where = table.Path.Length == 0 ? "" : table.Path + ": ";
            return table.Find(parts[length - 1]) switch
            {
                null => $"{where}llama-swap key '{parts[length - 1]}' is in no table of tinyswap",
                { Origin: KeyOrigin.NotImplemented } => null,
                _ when length == parts.Length => null,
                _ => $"{string.Join('.', parts[..length])}: tinyswap reads it, but not its key '{parts[length]}'",
            };
        }
        return $"no table of tinyswap holds '{key}'";
    }
}
