using TinySwap.Config;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Config;

/// <summary>
/// Damaged configs (truncated, lines dropped or doubled, YAML punctuation sprinkled in) never make the loader throw:
/// every load ends in a config or in positioned errors. Seeded, so a failure names a case that can be replayed.
/// </summary>
public sealed class ConfigFuzzTests
{
    private const int MutationsPerFile = 150;

    public static TheoryData<string> Samples() => new(SamplePaths());

    /// <summary>Our example and every fixture, relative to the repository root.</summary>
    internal static List<string> SamplePaths() =>
    [
        "config.example.yaml",
        .. Directory.GetFiles(FixturesDirectory, "*.yaml").Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(RepoPaths.Root, f)),
    ];

    internal static string FixturesDirectory => Path.Combine(RepoPaths.Root, "tests", "TinySwap.Tests", "Config", "Fixtures");

    [Fact]
    public void UnterminatedFlowSequenceAcrossLines_IsASyntaxErrorWithPosition()
    {
        var error = Assert.Single(ConfigText.Errors("models:\n  a:\n    cmd: [unterminated\n    proxy: http://127.0.0.1:9\n"));
        Assert.Matches(@"^test\.yaml:\d+:\d+: YAML syntax error", error);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void MutatedConfig_LoadsOrReportsPositionedErrors_NeverThrows(string relativePath)
    {
        var original = File.ReadAllText(Path.Combine(RepoPaths.Root, relativePath));
        var random = new Random(relativePath.Length * 7919 + original.Length);
        for (var i = 0; i < MutationsPerFile; i++)
        {
            var (mutation, text) = ConfigMutator.Mutate(original, random);
            ConfigLoadResult result;
            try
            {
                result = ConfigLoader.Parse(text, "fuzz.yaml", "/abs/fuzz.yaml", _ => "1");
            }
            catch (Exception e)
            {
                Assert.Fail($"{relativePath}, mutation {i} ({mutation}) threw {e.GetType().Name}: {e.Message}\n--- text ---\n{text}");
                throw;
            }
            Assert.True(result.IsValid || !result.Errors.IsEmpty, $"{relativePath}, mutation {i}: invalid without an error");
            Assert.All(result.Errors, e => Assert.StartsWith("fuzz.yaml", e.ToString()));
        }
    }
}

/// <summary>Seeded damage to a config text: the kinds of mistakes a hand-edited YAML file gets.</summary>
internal static class ConfigMutator
{
    private const string Punctuation = "[]{}:,-#&*!|>'\"%@?\t\\ \n";

    public static (string Mutation, string Text) Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        switch (random.Next(7))
        {
            case 0:
                var cut = random.Next(text.Length + 1);
                return ($"truncated at {cut}", text[..cut]);
            case 1:
                var at = random.Next(text.Length + 1);
                var c = Punctuation[random.Next(Punctuation.Length)];
                return ($"inserted {(int)c} at {at}", text.Insert(at, c.ToString()));
            case 2:
                var remove = random.Next(Math.Max(1, text.Length));
                return ($"removed byte {remove}", text.Length == 0 ? text : text.Remove(remove, 1));
            case 3:
                var drop = random.Next(lines.Count);
                lines.RemoveAt(drop);
                return ($"dropped line {drop + 1}", string.Join('\n', lines));
            case 4:
                var copy = random.Next(lines.Count);
                lines.Insert(random.Next(lines.Count + 1), lines[copy]);
                return ($"copied line {copy + 1}", string.Join('\n', lines));
            case 5:
                var shift = random.Next(lines.Count);
                lines[shift] = random.Next(2) == 0 ? " " + lines[shift] : lines[shift].TrimStart();
                return ($"re-indented line {shift + 1}", string.Join('\n', lines));
            default:
                var replace = random.Next(Math.Max(1, text.Length));
                var with = Punctuation[random.Next(Punctuation.Length)];
                return ($"replaced byte {replace} with {(int)with}", text.Length == 0 ? text : text.Remove(replace, 1).Insert(replace, with.ToString()));
        }
    }
}
