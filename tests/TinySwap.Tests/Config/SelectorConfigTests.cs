using TinySwap.Config;

namespace TinySwap.Tests.Config;

/// <summary>`selectors:` loads and validates as llama-swap's selectors.go does, every mistake at its line and column.</summary>
public sealed class SelectorConfigTests
{
    // llama-swap's own test base (selectors_test.go), minus setParamsByID.
    private const string Base = """
        models:
          a:
            cmd: echo ${PORT}
            aliases: [alias-a]
          b:
            cmd: echo ${PORT}
        peers:
          remote:
            proxy: http://example.com
            models: [remote-model]

        """;

    [Fact]
    public void Selectors_LoadWithDefaultsAndFields()
    {
        var config = ConfigText.Valid("""
            models:
              a:
                cmd: echo ${PORT}
              b:
                cmd: echo ${PORT}
            groups:
              balanced:
                swap: false
                members: [a, b]
            macros:
              family: coding
            selectors:
              coding:
                strategy: warm
                targets: [a, b]
                name: Coding Model
                description: Best available ${family} model
                unlisted: true
                metadata:
                  family: ${family}
                  size: 3
              workers:
                strategy: spillover
                targets: [a, b]
            """);

        Assert.Equal(["coding", "workers"], config.Selectors.Select(s => s.Id));
        var coding = config.Selectors[0];
        Assert.Equal(SelectorStrategy.Warm, coding.Strategy);
        Assert.Equal(["a", "b"], coding.Targets.Select(t => t.Name));
        Assert.Equal("Coding Model", coding.Name);
        Assert.Equal("Best available coding model", coding.Description);
        Assert.True(coding.Unlisted);
        Assert.Equal("""{"family":"coding","size":3}""", coding.MetadataJson);
        Assert.Equal(1, config.Selectors[1].Spillover);
    }

    [Fact]
    public void Targets_ResolveAliasesAndPeerModels()
    {
        var config = ConfigText.Valid(Base + """
            selectors:
              public:
                strategy: pin
                targets: [alias-a, remote/remote-model, remote-model]
            """);

        Assert.Equal(
        [
            new SelectorTarget("alias-a", "a", "a"),
            new SelectorTarget("remote/remote-model", null, "remote/remote-model"),
            new SelectorTarget("remote-model", null, "remote/remote-model"),
        ], config.Selectors[0].Targets.ToArray());
    }

    [Theory]
    [InlineData("\" \":\n    strategy: pin\n    targets: [a]", "selectors: a selector id cannot be empty", 12, 3)]
    [InlineData("public:\n    targets: [a]", "selectors.public.strategy is required", 12, 3)]
    [InlineData("public:\n    strategy: wram\n    targets: [a]", "selectors.public.strategy: unknown strategy 'wram' (warm, pin or spillover) (did you mean 'warm'?)", 13, 15)]
    [InlineData("public:\n    strategy: pin", "selectors.public.targets must list at least one", 12, 3)]
    [InlineData("public:\n    strategy: pin\n    targets: [missing]", "selectors.public.targets[0]: no model, alias or peer model 'missing'", 14, 15)]
    [InlineData("a:\n    strategy: pin\n    targets: [b]", "selectors.a: 'a' is also the id of model 'a'", 12, 3)]
    [InlineData("alias-a:\n    strategy: pin\n    targets: [b]", "selectors.alias-a: 'alias-a' is also an alias of model 'a'", 12, 3)]
    [InlineData("remote/remote-model:\n    strategy: pin\n    targets: [b]", "is also the name of peer 'remote''s model 'remote-model'", 12, 3)]
    [InlineData("public:\n    strategy: warm\n    targets: [a, remote-model]", "selectors.public.targets[1]: 'remote-model' is a peer model; warm", 14, 18)]
    [InlineData("public:\n    strategy: spillover\n    targets: [a]\n    settings:\n      spillover: 0", "selectors.public.settings.spillover must be at least 1", 16, 18)]
    [InlineData("public:\n    strategy: spillover\n    targets: [a, alias-a]", "selectors.public.targets: 'alias-a' is 'a' again", 14, 18)]
    [InlineData("public:\n    strategy: spillover\n    targets: [remote-model, remote/remote-model]", "'remote/remote-model' is 'remote/remote-model' again", 14, 29)]
    [InlineData("public:\n    strategy: spillover\n    targets: [a, b]", "selectors.public: spillover targets 'a', 'b' share group '(default)', but it has swap: true", 14, 14)]
    public void EachMistake_IsReportedAtItsPlace(string selectors, string fragment, int line, int column)
    {
        var errors = ConfigText.Errors(Base + "selectors:\n  " + selectors + "\n");
        var error = Assert.Single(errors);
        Assert.Contains(fragment, error);
        Assert.StartsWith($"{ConfigText.File}:{line}:{column}: ", error);
    }

    [Fact]
    public void TargetingAnotherSelector_IsRefused()
    {
        var errors = ConfigText.Errors(Base + """
            selectors:
              first:
                strategy: pin
                targets: [a]
              second:
                strategy: pin
                targets: [first]
            """);

        Assert.Equal(["test.yaml:17:15: selectors.second.targets[0]: 'first' is a selector; a selector cannot target another selector"], errors);
    }

    [Fact]
    public void Spillover_InASwapFalseGroup_Loads()
    {
        var config = ConfigText.Valid("""
            models:
              a: {cmd: "echo ${PORT}"}
              b: {cmd: "echo ${PORT}"}
            groups:
              pool:
                swap: false
                members: [a, b]
            selectors:
              public:
                strategy: spillover
                targets: [a, b]
                settings:
                  spillover: 4
            """);

        Assert.Equal(4, config.Selectors[0].Spillover);
    }

    [Fact]
    public void Spillover_AcrossTwoGroups_IsRefused()
    {
        var errors = ConfigText.Errors("""
            models:
              a: {cmd: "echo ${PORT}"}
              b: {cmd: "echo ${PORT}"}
            groups:
              one: {swap: false, members: [a]}
              two: {swap: false, members: [b]}
            selectors:
              public: {strategy: spillover, targets: [a, b]}
            """);

        Assert.Equal(["test.yaml:8:42: selectors.public: spillover targets 'a', 'b' must share one group (with swap: false)"], errors);
    }

    [Theory]
    [InlineData("A & B", true)]
    [InlineData("A | B", false)]
    [InlineData("(A | C) & (B | C)", true)]
    public void Spillover_UnderTheMatrix_NeedsOneSetHoldingEveryLocalTarget(string set, bool loads)
    {
        var yaml = """
            models:
              a: {cmd: "echo ${PORT}"}
              b: {cmd: "echo ${PORT}"}
              c: {cmd: "echo ${PORT}"}
            matrix:
              vars: {A: a, B: b, C: c}
              sets:
                pool: "SET"
            selectors:
              public: {strategy: spillover, targets: [a, b]}
            """.Replace("SET", set);

        if (loads)
            ConfigText.Valid(yaml);
        else
            Assert.Contains("must all appear together in one matrix set", Assert.Single(ConfigText.Errors(yaml)));
    }

    [Fact]
    public void Spillover_UnderALargeMatrix_IsCheckedWithoutExpandingIt()
    {
        // llama-swap's "matrix symbolic large": 4 dimensions of 11 alternatives (14641 combinations) beside one model.
        var yaml = new System.Text.StringBuilder("models:\n  target: {cmd: \"echo ${PORT}\"}\n");
        var groups = new List<string>();
        for (var d = 0; d < 4; d++)
        {
            var alternatives = Enumerable.Range(0, 11).Select(c => $"model-{d}-{c}").ToList();
            alternatives.ForEach(a => yaml.Append($"  {a}: {{cmd: \"echo ${{PORT}}\"}}\n"));
            groups.Add("(" + string.Join(" | ", alternatives) + ")");
        }
        yaml.Append($"matrix:\n  sets:\n    large: \"target & {string.Join(" & ", groups)}\"\n");
        yaml.Append("selectors:\n  public: {strategy: spillover, targets: [target, model-0-0, model-3-10]}\n");

        ConfigText.Valid(yaml.ToString());
    }

    [Fact]
    public void Spillover_UnderMaxRunningAndResources_MustFitTogether()
    {
        const string models = """
            models:
              a: {cmd: "echo ${PORT}", resources: {vram_mb: 6000}}
              b: {cmd: "echo ${PORT}", resources: {vram_mb: 6000}}
            selectors:
              public: {strategy: spillover, targets: [a, b]}

            """;
        ConfigText.Valid(models + "resources: {vram_mb: 12000}\n");
        Assert.Contains("spillover targets 'a', 'b' need 12000 vram_mb together, more than the budget of 8000",
            Assert.Single(ConfigText.Errors(models + "resources: {vram_mb: 8000}\n")));

        const string plain = """
            models:
              a: {cmd: "echo ${PORT}"}
              b: {cmd: "echo ${PORT}"}
            selectors:
              public: {strategy: spillover, targets: [a, b]}

            """;
        ConfigText.Valid(plain + "maxRunning: 2\n");
        Assert.Contains("are 2 models but maxRunning is 1", Assert.Single(ConfigText.Errors(plain + "maxRunning: 1\n")));
    }

    [Fact]
    public void Spillover_WithOneLocalTarget_NeedsNoGroup()
    {
        ConfigText.Valid(Base + """
            selectors:
              mixed: {strategy: spillover, targets: [a, remote/remote-model]}
            """);
    }

    [Fact]
    public void UnknownSelectorKey_SuggestsTheClosest()
    {
        var error = Assert.Single(ConfigText.Errors(Base + """
            selectors:
              public:
                strategy: pin
                targets: [a]
                descripton: typo
            """));
        Assert.Contains("selectors.public: unknown key 'descripton' (did you mean 'description'?)", error);
    }
}
