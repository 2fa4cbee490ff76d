namespace TinySwap.Tests.Config;

/// <summary>allowedHosts, cors.allowOrigins, tempDir and a model's apiKey: read, normalised, validated at PATH:LINE:COL.</summary>
public sealed class BrowserAndUpstreamKeysTests
{
    private const string Model = "models:\n  a:\n    cmd: server --port ${PORT}\n";

    [Fact]
    public void Defaults_NoHostsNoCorsVarTmp()
    {
        var config = ConfigText.Valid(Model);
        Assert.Empty(config.AllowedHosts);
        Assert.Empty(config.CorsAllowOrigins);
        Assert.Equal("/var/tmp", config.TempDirectory);
        Assert.Null(config.Models[0].ApiKey);
    }

    [Fact]
    public void AllKeys_AreRead()
    {
        var config = ConfigText.Valid("""
            allowedHosts: [LLM.home.arpa, "192.168.1.10:8080", "[::1]"]
            cors:
              allowOrigins: ["https://App.example.org", "http://192.168.1.10:3000", "https://ui.example.org:443"]
            tempDir: /srv/tinyswap/tmp
            macros: { key: sk-local }
            models:
              a:
                cmd: server --port ${PORT}
                apiKey: ${key}
            """);
        Assert.Equal(["llm.home.arpa", "192.168.1.10:8080", "[::1]"], config.AllowedHosts.ToArray());
        Assert.Equal(["https://app.example.org", "http://192.168.1.10:3000", "https://ui.example.org"], config.CorsAllowOrigins.ToArray());
        Assert.Equal("/srv/tinyswap/tmp", config.TempDirectory);
        Assert.Equal("sk-local", config.Models[0].ApiKey);
    }

    [Theory]
    [InlineData("cors: { allowOrigins: ['*'] }", "cors.allowOrigins: '*' is refused", 1, 24)]
    [InlineData("cors: { allowOrigins: [example.org] }", "is not an origin like", 1, 24)]
    [InlineData("cors: { allowOrigins: ['https://example.org/'] }", "no path, query or user", 1, 24)]
    [InlineData("cors: { allowOrigns: [] }", "unknown key 'allowOrigns' (did you mean 'allowOrigins'?)", 1, 9)]
    [InlineData("allowedHosts: ['http://x.org']", "allowedHosts: 'http://x.org' is not a host name", 1, 16)]
    [InlineData("tempDir: tmp", "tempDir: 'tmp' is not an absolute path", 1, 10)]
    public void BadValues_AreErrorsAtTheirPosition(string line, string message, int lineNumber, int column) =>
        ConfigText.SingleError(line + "\n" + Model, message, lineNumber, column);

    [Theory]
    [InlineData("\"sk-1\\r\\nX-Evil: 1\"", "a carriage return (CR)")]
    [InlineData("\"sk-1\\nx\"", "a line feed (LF)")]
    [InlineData("\"sk-1\\tx\"", "the control character U+0009")]
    [InlineData("\"sk-1\\x7Fx\"", "the control character U+007F")]
    [InlineData("sk-clé", "the non-ASCII character U+00E9")]
    public void ModelApiKey_ThatCannotBeAHeaderValue_IsAnErrorAtItsPosition(string value, string what) =>
        ConfigText.SingleError(Model + "    apiKey: " + value + "\n", $"models.a.apiKey: the key contains {what}", 4, 13);

    [Fact]
    public void ModelApiKey_FromAMacro_IsCheckedAfterExpansion() =>
        ConfigText.SingleError("macros: { key: \"a\\nb\" }\n" + Model + "    apiKey: ${key}\n", "a line feed (LF)", 5, 13);

    [Fact]
    public void PeerApiKey_ThatCannotBeAHeaderValue_IsAnErrorAtItsPosition() =>
        ConfigText.SingleError(Model + "peers:\n  p:\n    proxy: http://peer:8080\n    models: [b]\n    apiKey: \"k\\r\\n\"\n",
            "peers.p.apiKey: the key contains a carriage return (CR)", 8, 13);

    [Fact]
    public void ApiKey_PrintableAscii_IsKept() =>
        Assert.Equal("sk-A1 ~!x", ConfigText.Valid(Model + "    apiKey: \"sk-A1 ~!x\"\n").Models[0].ApiKey);

    [Fact]
    public void ApiKey_IsNotPartOfTheFingerprint()
    {
        var without = ConfigText.Valid(Model).Models[0];
        var with = ConfigText.Valid(Model + "    apiKey: secret\n").Models[0];
        Assert.Equal(without.Fingerprint, with.Fingerprint);
    }
}
