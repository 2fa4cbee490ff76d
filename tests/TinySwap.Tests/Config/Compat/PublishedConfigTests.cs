using System.Security.Cryptography;
using System.Text;
using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Tests.Router;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.Config.Compat;

/// <summary>
/// Published llama-swap configs (configs/, origins in <see cref="CompatCases"/>): each loads in tinyswap when llama-swap
/// v250 loads it, is refused when llama-swap refuses it, and gives the same model ids, aliases, groups and swap
/// decisions. Named divergences (<see cref="CompatCase.Divergence"/>):
/// <list type="bullet">
/// <item>typo-guard: a key a few edits from a known one (`health_check_timeout`) is an error; llama-swap ignores it.</item>
/// <item>no-cmd-model: a model with no way to start (`cmd`, `llamacpp` or `wake`) is refused at load; llama-swap loads it
/// and fails when it is requested.</item>
/// <item>https-model-proxy: a model's `proxy` must be http://; llama-swap forwards to https too.</item>
/// <item>legacy-profiles: list-form `profiles:` (llama-swap before v241) load with a warning; llama-swap v250 refuses them.</item>
/// </list>
/// </summary>
public sealed class PublishedConfigTests
{
    private static string Directory => System.IO.Path.Combine(RepoPaths.Root, "tests", "TinySwap.Tests", "Config", "Compat", "configs");

    public static TheoryData<string> Files() => [.. CompatCases.All.Select(c => c.File)];

    public static TheoryData<string> Loading() => [.. CompatCases.All.Where(c => c.Errors.Length == 0).Select(c => c.File)];

    private static CompatCase Case(string file) => CompatCases.All.Single(c => c.File == file);

    [Fact]
    public void Manifest_NamesEveryFileOnce_AndEnoughOfThem()
    {
        var onDisk = System.IO.Directory.GetFiles(Directory, "*.y*ml").Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(onDisk, CompatCases.All.Select(c => c.File).Order(StringComparer.Ordinal).ToArray());
        Assert.True(CompatCases.All.Count(c => c.Repository != "mostlygeek/llama-swap") >= 15);
        Assert.All(CompatCases.All, c => Assert.Matches("^[0-9a-f]{40}$", c.Commit));
    }

    /// <summary>The file is the very blob published at <see cref="CompatCase.Commit"/> (`git rev-parse COMMIT:PATH` gives the same id).</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void File_IsByteForByteAsPublished(string file)
    {
        var bytes = File.ReadAllBytes(System.IO.Path.Combine(Directory, file));
        var blob = SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes]);
        Assert.Equal(Case(file).Blob, Convert.ToHexStringLower(blob));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void File_LoadsWhenLlamaSwapLoadsIt(string file)
    {
        var expected = Case(file);
        var result = Load(expected);
        var actual = Describe(result);
        Assert.True(expected.Errors.Length > 0 == !result.IsValid, actual);
        Assert.True((expected.Errors.Length > 0) == (expected.LlamaSwapRefuses is not null) || expected.Divergence is not null,
            "tinyswap refuses exactly the files llama-swap refuses, unless a named divergence says otherwise");
        AssertStartLike(expected.Errors, [.. result.Errors.Select(Position)], actual);
        if (!result.IsValid)
            return; // a refused file's warnings matter less than its errors, and some change as peers get forwarded to
        var notImplemented = result.Warnings.Where(w => w.Message.Contains("not implemented by tinyswap yet", StringComparison.Ordinal)).ToArray();
        var stillNotImplemented = expected.NotImplemented.ToLookup(w => KeyTables.IsNotImplemented(GenericPath(w[(w.IndexOf(' ') + 1)..])));
        AssertStartLike([.. stillNotImplemented[true]], [.. notImplemented.Select(Position)], actual);
        // A key implemented since may warn about how it is written (legacy list-form profiles do), or not at all.
        var others = result.Warnings.Except(notImplemented).Select(Position)
            .Where(w => !stillNotImplemented[false].Any(key => w.StartsWith(key + ":", StringComparison.Ordinal) || w.StartsWith(key + ".", StringComparison.Ordinal)));
        AssertStartLike(expected.Warnings, [.. others], actual);
    }

    [Theory]
    [MemberData(nameof(Loading))]
    public void Models_Aliases_AndGroups_AreLlamaSwaps(string file)
    {
        var expected = Case(file);
        var config = Load(expected).Config!;
        var actual = Describe(config);
        Assert.True(expected.Models.SequenceEqual(config.Models.Select(m => m.Id)), actual);
        string[] aliases = [.. expected.Aliases, .. KeyTables.IsNotImplemented("models.ID.filters.setParamsByID") ? [] : expected.SetParamsByIdAliases];
        Assert.True(aliases.Order(StringComparer.Ordinal).SequenceEqual(Aliases(config)), actual);
        Assert.True(expected.Groups.SequenceEqual(config.Groups.Select(Group)), actual);
    }

    [Theory]
    [MemberData(nameof(Loading))]
    public async Task Swaps_AreLlamaSwaps(string file)
    {
        var expected = Case(file);
        Assert.NotEmpty(expected.Swaps);
        await using var harness = new CoreHarness(Load(expected).Config!);
        foreach (var step in expected.Swaps)
        {
            var request = step[..step.IndexOf(" -> ", StringComparison.Ordinal)];
            var model = harness.Config.FindModel(request);
            Assert.True(model is not null, $"'{request}' names no model");
            (await harness.Serve(model.Id)).Release();
            var running = harness.Router.Snapshot().Where(s => s.State != ModelState.Stopped).Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(step, $"{request} -> {(running.Length == 0 ? "-" : string.Join(", ", running))}");
        }
    }

    private static ConfigLoadResult Load(CompatCase file) =>
        ConfigLoader.Parse(File.ReadAllText(System.IO.Path.Combine(Directory, file.File)), file.File, "/etc/llama-swap/" + file.File,
            name => file.Environment.GetValueOrDefault(name));

    private static string Position(ConfigDiagnostic d) => $"{d.Line}:{d.Column}: {d.Message}";

    private static void AssertStartLike(string[] expected, string[] actual, string whole)
    {
        Assert.True(expected.Length == actual.Length, $"expected {expected.Length}, got {actual.Length}:\n{whole}");
        for (var i = 0; i < expected.Length; i++)
            Assert.True(actual[i].StartsWith(expected[i], StringComparison.Ordinal), $"expected '{expected[i]}...', got '{actual[i]}':\n{whole}");
    }

    // A warned key's path with its model or peer id replaced, as the key tables name it: models.gemma-3.ttl → models.ID.ttl.
    private static string GenericPath(string path)
    {
        var key = path[(path.LastIndexOf('.') + 1)..];
        foreach (var section in new[] { "models", "peers" })
        {
            if (path.StartsWith(section + ".", StringComparison.Ordinal))
                return path.EndsWith(".filters." + key, StringComparison.Ordinal) ? $"{section}.ID.filters.{key}" : $"{section}.ID.{key}";
        }
        return path;
    }

    private static string[] Aliases(TinySwapConfig config) =>
        [.. config.Models.SelectMany(m => m.Aliases.Select(a => $"{a}={m.Id}")).Order(StringComparer.Ordinal)];

    private static string Group(GroupConfig g)
    {
        string[] flags = [.. new[] { (g.Swap, "swap"), (g.Exclusive, "exclusive"), (g.Persistent, "persistent") }.Where(f => f.Item1).Select(f => f.Item2)];
        return $"{g.Id}: {string.Join(' ', [.. g.Members, $"({string.Join(' ', flags)})"])}";
    }

    // What the case should say, in its own syntax, for the failure message.
    private static string Describe(ConfigLoadResult result)
    {
        var text = new StringBuilder();
        List(text, "Errors", result.Errors.Select(Position));
        List(text, "Warnings", result.Warnings.Select(w => $"{w.Line}:{w.Column}: {w.Message}"));
        if (result.Config is { } config)
            text.Append(Describe(config));
        return text.ToString();
    }

    private static string Describe(TinySwapConfig config)
    {
        var text = new StringBuilder();
        List(text, "Models", config.Models.Select(m => m.Id));
        List(text, "Aliases", Aliases(config));
        List(text, "Groups", config.Groups.Select(Group));
        return text.ToString();
    }

    private static void List(StringBuilder text, string name, IEnumerable<string> items) =>
        text.Append(name).Append(" = [").AppendJoin(", ", items.Select(i => "\"" + i.Replace("\"", "\\\"") + "\"")).Append("],\n");
}
