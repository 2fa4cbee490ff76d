using TinySwap.Config;

namespace TinySwap.Tests.Config;

/// <summary>`upstream.ignorePaths` and `models.ID.compat.ignoreWebsockets`, read as llama-swap reads them (its own test cases).</summary>
public sealed class UpstreamPassthroughKeysTests
{
    private const string Model = "models:\n  a:\n    cmd: server --port ${PORT}\n";

    [Theory]
    [InlineData("")]
    [InlineData("upstream: {}\n")]
    [InlineData("upstream:\n  ignorePaths: []\n")]
    public void IgnorePaths_AbsentOrEmpty_LlamaSwapsDefault_StaticFiles(string section)
    {
        var paths = ConfigText.Valid(section + Model).IgnorePaths;

        Assert.Equal([UpstreamIgnorePaths.DefaultPattern], paths.Patterns.ToArray());
        foreach (var ignored in new[] { "/foo.js", "/bar/baz.json", "/static/img.png", "/notes.txt", "/favicon.ico" })
            Assert.True(paths.Matches(ignored), ignored);
        foreach (var served in new[] { "/v1/chat/completions", "/v1/models", "/health", "/", "/ws" })
            Assert.False(paths.Matches(served), served);
    }

    [Fact]
    public void IgnorePaths_Configured_ReplaceTheDefault_AndMatchAnywhereInThePath()
    {
        var paths = ConfigText.Valid("upstream:\n  ignorePaths:\n    - \"^/static/.*\"\n    - ^\\/ws$|^\\/api\\/jobs$\n    - (?i)\\.PNG$\n    - queue\n" + Model).IgnorePaths;

        Assert.Equal(["^/static/.*", @"^\/ws$|^\/api\/jobs$", @"(?i)\.PNG$", "queue"], paths.Patterns.ToArray());
        foreach (var ignored in new[] { "/static/foo.png", "/ws", "/api/jobs", "/img/A.png", "/api/queue/3" })
            Assert.True(paths.Matches(ignored), ignored);
        foreach (var served in new[] { "/v1/chat/completions", "/foo.js", "/wss", "/api/jobs/1", "/x/static/y" })
            Assert.False(paths.Matches(served), served);
    }

    [Theory]
    [InlineData("\"[invalid(\"", "upstream.ignorePaths[0]: invalid regular expression '[invalid('")]
    [InlineData("\"(a)\\\\1\"", "upstream.ignorePaths[0]: '(a)\\1' needs backtracking")] // RE2 has no backreferences
    [InlineData("\"^(?!/api)\"", "upstream.ignorePaths[0]: '^(?!/api)' needs backtracking")] // nor lookaround
    public void IgnorePaths_PatternRE2WouldRefuse_IsAnErrorAtItsPosition(string pattern, string message) =>
        ConfigText.SingleError("upstream:\n  ignorePaths:\n    - \"ok\"\n    - " + pattern + "\n" + Model, message.Replace("[0]", "[1]"), 4, 7);

    [Fact]
    public void IgnorePaths_LlamaSwapsOwnExample_Loads()
    {
        var text = File.ReadAllText(Path.Combine(ConfigFuzzTests.FixturesDirectory, "llama-swap.config.example.yaml"));
        var result = ConfigText.Load(text);

        Assert.DoesNotContain(result.Warnings, w => w.Message.StartsWith("upstream", StringComparison.Ordinal));
        if (result.Config is { } config)
            Assert.True(config.IgnorePaths.Matches("/api/jobs"));
    }

    [Fact]
    public void IgnoreWebsockets_ReadPerModel_OffByDefault()
    {
        var config = ConfigText.Valid(Model + "    compat:\n      ignoreWebsockets: true\n  b:\n    cmd: server --port ${PORT}\n");

        Assert.True(config.FindModel("a")!.IgnoreWebsockets);
        Assert.False(config.FindModel("b")!.IgnoreWebsockets);
    }

    [Fact]
    public void IgnoreWebsockets_AlwaysOnForComfyUiAuto_AsLlamaSwapForcesIt() =>
        Assert.True(ConfigText.Valid("models:\n  comfyui_auto:\n    cmd: comfy --port ${PORT}\n    compat: { ignoreWebsockets: false }\n")
            .FindModel("comfyui_auto")!.IgnoreWebsockets);

    [Theory]
    [InlineData("    compat:\n      ignoreWebsocket: true\n", "unknown key 'ignoreWebsocket' (did you mean 'ignoreWebsockets'?)", 5, 7)]
    [InlineData("    compat:\n      ignoreWebsockets: maybe\n", "models.a.compat.ignoreWebsockets", 5, 25)]
    public void IgnoreWebsockets_BadKeyOrValue_IsAnErrorAtItsPosition(string lines, string message, int line, int column) =>
        ConfigText.SingleError(Model + lines, message, line, column);
}
