namespace TinySwap.Tests.Config;

/// <summary>Loading as llama-swap loads: its `routing:` block, a per-model healthCheckTimeout, and the fixtures it ships.</summary>
public sealed class LlamaSwapLoadingTests
{
    [Fact]
    public void RoutingRouterGroups_AreReadAsTopLevelGroups()
    {
        const string models = "models:\n  a: { cmd: \"s --port ${PORT}\" }\n  b: { cmd: \"s --port ${PORT}\" }\n";
        var topLevel = ConfigText.Valid(models + "groups:\n  g: { swap: false, members: [a, b] }\n");
        var routing = ConfigText.Valid(models + "routing:\n  router:\n    use: group\n    settings:\n      groups:\n        g: { swap: false, members: [a, b] }\n");
        Assert.Equal(topLevel.Groups, routing.Groups, (x, y) => x.Id == y.Id && x.Swap == y.Swap && x.Members.SequenceEqual(y.Members));
    }

    [Fact]
    public void GroupsInBothPlaces_IsAnError()
    {
        ConfigText.SingleError("""
            models:
              a: { cmd: "s --port ${PORT}" }
            groups:
              g: { members: [a] }
            routing:
              router:
                settings:
                  groups:
                    h: { members: [a] }
            """, "use top-level `groups` or `routing.router.settings.groups`, not both", 9, 9);
    }

    [Fact]
    public void FifoPriority_SetsModelPriorities_UnknownModelIsAnError()
    {
        var config = ConfigText.Valid("""
            models:
              a: { cmd: "s --port ${PORT}" }
              b: { cmd: "s --port ${PORT}" }
            routing:
              scheduler:
                use: fifo
                settings:
                  fifo:
                    priority: { a: 10, b: -1 }
            """);
        Assert.Equal(10, config.FindModel("a")!.Priority);
        Assert.Equal(-1, config.FindModel("b")!.Priority);
        ConfigText.SingleError("models:\n  a: { cmd: \"s --port ${PORT}\" }\nrouting: { scheduler: { settings: { fifo: { priority: { aa: 1 } } } } }\n",
            "routing.scheduler.settings.fifo.priority: no model 'aa' (did you mean 'a'?)", 3, 57);
    }

    [Fact]
    public void PerModelHealthCheckTimeout_LoadsWithAWarning()
    {
        var result = ConfigText.Load("healthCheckTimeout: 300\nmodels:\n  a:\n    cmd: s --port ${PORT}\n    healthCheckTimeout: 30\n");
        Assert.True(result.IsValid);
        Assert.Equal(TimeSpan.FromSeconds(300), result.Config!.Models[0].HealthCheckTimeout);
        Assert.Contains("llama-swap uses the global healthCheckTimeout", Assert.Single(result.Warnings).ToString());
    }

    // Both from published configs (Compat/): llama-swap ignores them, and neither is a typo of the key it starts like.
    [Theory]
    [InlineData("maxRunningModels: 2\nmodels:\n  a: { cmd: \"s --port ${PORT}\" }\n", "test.yaml:1:1: config: unknown key 'maxRunningModels' (did you mean 'maxRunning'?) ignored")]
    [InlineData("models:\n  a:\n    cmd: s --port ${PORT}\n    unload: 600\n", "test.yaml:4:5: models.a: unknown key 'unload' (did you mean 'unloadTimeout'?) ignored")]
    public void UnknownKeyThatOnlySharesAPrefix_LoadsWithTheHint(string yaml, string warning)
    {
        var result = ConfigText.Load(yaml);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.StartsWith(warning, Assert.Single(result.Warnings).ToString());
    }

    [Fact]
    public void GroupWithoutMembers_LoadsWithAWarning_AndHoldsNoModel()
    {
        var result = ConfigText.Load("models:\n  a: { cmd: \"s --port ${PORT}\" }\ngroups:\n  main:\n    swap: false\n");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("test.yaml:4:3: groups.main: `members:` is missing, so the group holds no model (llama-swap accepts it too)", Assert.Single(result.Warnings).ToString());
        Assert.Equal(["(default)"], result.Config!.Groups.Where(g => g.Members.Length > 0).Select(g => g.Id).ToArray());
    }

    [Fact]
    public void LegacyListFormProfiles_LoadWithAWarning()
    {
        var result = ConfigText.Load("models:\n  a: { cmd: \"s --port ${PORT}\" }\nprofiles:\n  coding:\n    - a\n");
        Assert.True(result.IsValid);
        Assert.Equal("test.yaml:3:1: profiles: llama-swap setting accepted but not implemented by tinyswap yet; ignored", Assert.Single(result.Warnings).ToString());
    }

    // Not docker/config.example.yaml: its z-image model has neither ${PORT} in cmd nor a proxy, which llama-swap's own
    // loader refuses too (its default proxy uses ${PORT}); it stays a fuzz sample.
    [Theory]
    [InlineData("llama-swap.docs-examples-aider-qwq-coder-llama-swap.yaml")]
    [InlineData("homelab.dual-gpu.yaml")]
    [InlineData("homelab.mac-mini.yaml")]
    public void Fixture_Loads(string file)
    {
        var text = File.ReadAllText(Path.Combine(ConfigFuzzTests.FixturesDirectory, file));
        ConfigText.Valid(text, new Dictionary<string, string> { ["LLAMA_SWAP_KEY"] = "k" });
    }
}
