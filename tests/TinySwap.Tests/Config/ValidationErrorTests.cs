namespace TinySwap.Tests.Config;

/// <summary>Every class of config error, each with its PATH:LINE:COL.</summary>
public sealed class ValidationErrorTests
{
    [Fact]
    public void ThreeDifferentMistakes_AreAllReportedInFileOrder()
    {
        var errors = ConfigText.Errors("""
            healthCheckTimeout: soon
            models:
              llama:
                cmd: llama-server --port ${PORT}
                tll: 300
              qwen:
                cmd: llama-server --port ${PORT}
                aliases: [llama]
            """);

        Assert.Equal(
        [
            "test.yaml:1:21: healthCheckTimeout: expected a number, got 'soon'",
            "test.yaml:5:5: models.llama: unknown key 'tll' (did you mean 'ttl'?)",
            "test.yaml:8:15: models.qwen.aliases: 'llama' is also the id of model 'llama'",
        ], errors);
    }

    [Fact]
    public void YamlSyntaxError_HasItsPosition()
    {
        var error = Assert.Single(ConfigText.Errors("models:\n  a:\n    cmd: \"unterminated\n"));
        Assert.Matches(@"^test\.yaml:\d+:\d+: YAML syntax error: ", error);
    }

    [Fact]
    public void BadIndentation_IsASyntaxError()
    {
        var error = Assert.Single(ConfigText.Errors("models:\n  a:\n    cmd: x\n   proxy: y\n"));
        Assert.StartsWith("test.yaml:4:", error);
        Assert.Contains("YAML syntax error", error);
    }

    [Fact]
    public void EmptyFile_RootNotAMapping_ModelsMissing()
    {
        Assert.Equal(["test.yaml: the config is empty; it needs at least a `models:` mapping"], ConfigText.Errors(""));
        ConfigText.SingleError("- a\n- b\n", "the config must be a mapping", 1, 1);
        ConfigText.SingleError("logLevel: info\n", "`models:` is missing", 1, 1);
    }

    [Fact]
    public void UnknownTopLevelKey_SuggestsTheClosest()
    {
        ConfigText.SingleError("""
            heathCheckTimeout: 10
            models: {}
            """, "config: unknown key 'heathCheckTimeout' (did you mean 'healthCheckTimeout'?)", 1, 1);
    }

    [Fact]
    public void UnknownModelKey_SuggestsCaseInsensitively()
    {
        ConfigText.SingleError("""
            models:
              a:
                cmd: s --port ${PORT}
                checkendpoint: /ready
            """, "unknown key 'checkendpoint' (did you mean 'checkEndpoint'?)", 4, 5);
    }

    [Fact]
    public void UnknownKeyWithNothingClose_IsAWarningAndTheFileLoads()
    {
        // llama-swap ignores keys it does not know; only a near miss of a known key (a typo) is an error.
        var result = ConfigText.Load("""
            models:
              a:
                cmd: s --port ${PORT}
                gpuLayersPlease: 99
            """);
        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("test.yaml:4:5: models.a: unknown key 'gpuLayersPlease' ignored (llama-swap ignores it too)", warning.ToString());
    }

    [Fact]
    public void DuplicateKey_PointsAtTheSecondAndNamesTheFirst()
    {
        ConfigText.SingleError("""
            models:
              a:
                cmd: s --port ${PORT}
                ttl: 5
                ttl: 10
            """, "duplicate key 'ttl' (first set at line 4)", 5, 5);
    }

    [Fact]
    public void DuplicateModelId_IsADuplicateKey()
    {
        ConfigText.SingleError("""
            models:
              a:
                cmd: s --port ${PORT}
              a:
                cmd: t --port ${PORT}
            """, "duplicate key 'a'", 4, 3);
    }

    [Theory]
    [InlineData("ttl: ten", "models.a.ttl: expected a whole number, got 'ten'", "ten")]
    [InlineData("ttl: 1.5", "models.a.ttl: expected a whole number, got the number 1.5", "1.5")]
    [InlineData("unlisted: maybe", "models.a.unlisted: expected true or false", "maybe")]
    [InlineData("aliases: gpt-4o", "models.a.aliases: expected a list", "gpt-4o")]
    [InlineData("env: {A: 1}", "models.a.env: expected a list", "{")]
    [InlineData("cmdStop: [a, b]", "models.a.cmdStop: expected text, got a list", "[a, b]")]
    [InlineData("metadata: 5", "models.a.metadata: expected a mapping", "5")]
    [InlineData("filters: [stripParams]", "models.a.filters: expected a mapping", "[stripParams]")]
    [InlineData("concurrencyLimit: -1", "models.a.concurrencyLimit: -1 is out of range", "-1")]
    [InlineData("ttl: -2", "models.a.ttl: -2 is out of range (must be at least -1)", "-2")]
    [InlineData("minActive: -1", "models.a.minActive: -1 is out of range", "-1")]
    [InlineData("hookTimeout: 0", "models.a.hookTimeout: must be more than 0 seconds", "0")]
    [InlineData("resources: {vram_mb: -5}", "models.a.resources.vram_mb: -5 is out of range", "-5")]
    [InlineData("checkEndpoint: health", "models.a.checkEndpoint: expected a path starting with '/'", "health")]
    [InlineData("proxy: localhost:9000", "models.a.proxy: 'localhost:9000' is not an http:// URL", "localhost:9000")]
    [InlineData("proxy: https://127.0.0.1:9000", "https:// is not supported", "https://127.0.0.1:9000")]
    [InlineData("env: [NOEQUALS]", "models.a.env[0]: expected NAME=value", "NOEQUALS]")]
    [InlineData("env: [\"1BAD=x\"]", "models.a.env[0]: expected NAME=value", "\"1BAD=x\"]")]
    public void WrongTypesAndValues_InAModel(string line, string message, string pointsAt)
    {
        var yaml = "resources: {vram_mb: 100}\nmodels:\n  a:\n    cmd: s --port ${PORT}\n    proxy: http://127.0.0.1:${PORT}\n    " + line + "\n";
        if (line.StartsWith("proxy", StringComparison.Ordinal))
            yaml = yaml.Replace("    proxy: http://127.0.0.1:${PORT}\n", "");
        var errors = ConfigText.Errors(yaml);
        var error = Assert.Single(errors);
        Assert.Contains(message, error);
        var row = line.StartsWith("proxy", StringComparison.Ordinal) ? 5 : 6;
        Assert.StartsWith($"test.yaml:{row}:{4 + line.IndexOf(pointsAt, StringComparison.Ordinal) + 1}: ", error);
    }

    [Theory]
    [InlineData("startPort: 70000", "startPort: 70000 is out of range (1..65535)")]
    [InlineData("globalTTL: -5", "globalTTL: -5 is out of range (must be at least 0)")]
    [InlineData("maxRunning: 0", "maxRunning: 0 is out of range")]
    [InlineData("logLevel: verbose", "logLevel: 'verbose' is not one of trace, debug, info, warn, error")]
    [InlineData("logLevel: warning", "(did you mean 'warn'?)")]
    [InlineData("listen: 8080", "listen: '8080' is not HOST:PORT")]
    [InlineData("listen: 127.0.0.1:99999", "port must be a number from 0 to 65535")]
    [InlineData("listen: ::1:8080", "write IPv6 addresses in brackets")]
    [InlineData("listen: []", "listen: the list is empty")]
    [InlineData("apiKeys: [\"has space\"]", "apiKeys: a key cannot contain spaces")]
    [InlineData("apiKeys: [\"\"]", "apiKeys: a key cannot be empty")]
    [InlineData("limits: {maxBodyMB: 0}", "limits.maxBodyMB: 0 is out of range")]
    [InlineData("limits: {maxBodyKB: 5}", "limits: unknown key 'maxBodyKB' (did you mean 'maxBodyMB'?)")]
    [InlineData("sendLoadingState: 1", "sendLoadingState: expected true or false")]
    public void WrongTypesAndValues_AtTheTopLevel(string line, string message)
    {
        var errors = ConfigText.Errors(line + "\nmodels:\n  a:\n    cmd: s --port ${PORT}\n");
        var error = Assert.Single(errors);
        Assert.Contains(message, error);
        Assert.StartsWith("test.yaml:1:", error);
    }

    [Fact]
    public void DuplicateAliases_AcrossModelsAndWithinAModel()
    {
        var errors = ConfigText.Errors("""
            models:
              a:
                cmd: s --port ${PORT}
                aliases: [shared, a]
              b:
                cmd: s --port ${PORT}
                aliases: [shared, twice, twice]
            """);

        Assert.Equal(
        [
            "test.yaml:4:23: models.a.aliases: 'a' is the model's own id",
            "test.yaml:7:15: models.b.aliases: alias 'shared' is already used by model 'a' (line 4)",
            "test.yaml:7:30: models.b.aliases: alias 'twice' is already used by model 'b' (line 7)",
        ], errors);
    }

    [Fact]
    public void Groups_ModelInTwoGroups_UnknownMember_AliasMember_ReservedId_MissingMembers()
    {
        var errors = ConfigText.Errors("""
            models:
              llama: { cmd: "s --port ${PORT}", aliases: [l] }
              qwen: { cmd: "s --port ${PORT}" }
            groups:
              one:
                members: [llama, qwen]
              two:
                members: [llama, qwne, l]
              (default):
                members: []
            """);

        Assert.Equal(
        [
            "test.yaml:8:15: groups.two.members: 'llama' is already in group 'one' (line 6); a model belongs to one group",
            "test.yaml:8:22: groups.two.members: no model 'qwne' (did you mean 'qwen'?)",
            "test.yaml:8:28: groups.two.members: 'l' is an alias of 'llama'; list model ids here",
            "test.yaml:9:3: groups.(default): the group id '(default)' is reserved for models no group lists",
        ], errors);
    }

    [Fact]
    public void Preload_UnknownModel_IsDroppedWithAWarning()
    {
        var result = ConfigText.Load("""
            models:
              llama: { cmd: "s --port ${PORT}" }
            hooks:
              on_startup:
                preload: [lama, llama]
            """);
        Assert.True(result.IsValid);
        Assert.Equal(["llama"], result.Config!.Preload.ToArray());
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("test.yaml:5:15: hooks.on_startup.preload: no model 'lama' (did you mean 'llama'?); not preloaded", warning.ToString());
    }

    [Fact]
    public void Resources_UnknownBudgetNoBudgetsAndNeverFits()
    {
        var errors = ConfigText.Errors("""
            resources:
              vram_mb: 24000
            models:
              big:
                cmd: s --port ${PORT}
                resources: { vram_mb: 30000, ram: 5 }
            """);
        Assert.Equal(
        [
            "test.yaml:6:18: models.big.resources.vram_mb: needs 30000 but the budget is 24000, so the model could never start",
            "test.yaml:6:34: models.big.resources.ram: no budget named 'ram' in the top-level `resources:`",
        ], errors);

        ConfigText.SingleError("""
            models:
              a:
                cmd: s --port ${PORT}
                resources: { vram_mb: 1 }
            """, "there are no budgets; add a top-level `resources:`", 4, 18);
    }

    [Fact]
    public void Policies_AreExclusive()
    {
        ConfigText.SingleError("""
            maxRunning: 2
            models:
              a: { cmd: "s --port ${PORT}" }
            groups:
              g: { members: [a] }
            """, "`groups`, `maxRunning` each choose how models are swapped; use one of them", 1, 13);
    }

    [Fact]
    public void Cmd_MissingEmptyAndUnterminatedQuote()
    {
        ConfigText.SingleError("models:\n  a:\n    proxy: http://127.0.0.1:9000\n", "models.a: `cmd:` is missing", 2, 3);
        ConfigText.SingleError("models:\n  a:\n    cmd: |\n      # only a comment\n    proxy: http://127.0.0.1:9000\n", "models.a.cmd: the command is empty", 3, 10);
        ConfigText.SingleError("""
            models:
              a:
                cmd: |
                  server --port ${PORT}
                  --prompt "unterminated
            """, "models.a.cmd: unterminated double quote", 5, 16);
        ConfigText.SingleError("""
            models:
              a:
                cmd: server --port ${PORT} --x 'open
            """, "models.a.cmd: unterminated single quote", 3, 36);
    }

    [Fact]
    public void Hooks_SleepWithoutWake_AndWakeOnlyModelWithoutProxy()
    {
        ConfigText.SingleError("""
            models:
              a:
                cmd: s --port ${PORT}
                sleep: curl -X POST localhost/sleep
            """, "`sleep` and `wake` go together", 4, 12);
        ConfigText.SingleError("""
            models:
              a:
                wake: start-it
                sleep: stop-it
            """, "a model without `cmd` is managed by its wake/sleep hooks and needs `proxy:`", 2, 3);
    }

    [Fact]
    public void Peers_MissingFieldsAndCollisions()
    {
        var errors = ConfigText.Errors("""
            models:
              local: { cmd: "s --port ${PORT}" }
            peers:
              p1:
                proxy: http://10.0.0.2
                models: [local, remote]
              p2:
                proxy: http://10.0.0.3
                models: [remote]
              p3:
                apiKey: x
            """);
        Assert.Equal(
        [
            "test.yaml:6:14: peers.p1.models: 'local' is also a local model or alias",
            "test.yaml:9:14: peers.p2.models: 'remote' is already served by peer 'p1'",
            "test.yaml:10:3: peers.p3: `proxy:` is missing (the peer's base URL)",
            "test.yaml:10:3: peers.p3: `models:` is missing or empty (the model ids the peer serves)",
        ], errors);
    }

    [Fact]
    public void ErrorsInOneModel_DoNotHideOrCauseErrorsInOthers()
    {
        var errors = ConfigText.Errors("""
            models:
              broken:
                cmd: s --port ${PORT} ${nope}
              fine:
                cmd: s --port ${PORT}
            groups:
              g: { members: [broken, fine] }
            hooks:
              on_startup:
                preload: [broken]
            """);
        Assert.Equal(["test.yaml:3:10: models.broken.cmd: unknown macro '${nope}'"], errors);
    }
}
