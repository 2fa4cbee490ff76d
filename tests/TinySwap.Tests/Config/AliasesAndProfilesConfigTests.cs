namespace TinySwap.Tests.Config;

/// <summary>`filters.setParamsByID`, the mapping form of `aliases`, and `profiles`: what loads, and every conflict at PATH:LINE:COL.</summary>
public sealed class AliasesAndProfilesConfigTests
{
    [Fact]
    public void SetParamsById_NamesExpandMacros_AndBecomeAliasesOfTheirModel()
    {
        var config = ConfigText.Valid("""
            macros:
              level: high
            models:
              gpt:
                cmd: s --port ${PORT}
                aliases: [gpt-mini]
                filters:
                  setParams: { temperature: 0.7 }
                  setParamsByID:
                    "${MODEL_ID}":
                      effort: medium
                    "${MODEL_ID}:${level}":
                      effort: high
                      chat_template_kwargs: { reasoning_effort: high }
                    "gpt-mini":
                      effort: low
                    "bare":
            """);

        var gpt = config.FindModel("gpt")!;
        // The model's own id and an alias it already has are not added again.
        Assert.Equal(["gpt-mini", "gpt:high", "bare"], gpt.Aliases.ToArray());
        Assert.Same(gpt, config.FindModel("gpt:high"));
        Assert.Same(gpt, config.FindModel("bare"));
        Assert.Equal(["gpt", "gpt:high", "gpt-mini", "bare"], gpt.SetParamsById.Select(p => p.Name).ToArray());
        Assert.Equal(
            [new KeyValuePair<string, string>("effort", "\"high\""), new("chat_template_kwargs", """{"reasoning_effort":"high"}""")],
            gpt.ParamsFor("gpt:high")!.SetParams.ToArray());
        Assert.Empty(gpt.ParamsFor("bare")!.SetParams);
        Assert.Null(gpt.ParamsFor("gpt:low"));
    }

    [Fact]
    public void SetParamsById_NameOfAnotherModel_IsAnErrorAtTheName()
    {
        ConfigText.SingleError("""
            models:
              a:
                cmd: s --port ${PORT}
                filters:
                  setParamsByID:
                    b: { effort: high }
              b:
                cmd: s --port ${PORT}
            """, "models.a.filters.setParamsByID: 'b' is also the id of model 'b'", 6, 9);
    }

    [Fact]
    public void SetParamsById_AliasOfAnotherModel_IsAnErrorAtTheName()
    {
        ConfigText.SingleError("""
            models:
              a:
                cmd: s --port ${PORT}
                filters:
                  setParamsByID:
                    "fast": { effort: low }
              b:
                cmd: s --port ${PORT}
                aliases: [fast]
            """, "models.a.filters.setParamsByID: 'fast' is already an alias of model 'b' (line 9)", 6, 9);
    }

    [Fact]
    public void SetParamsById_SameNameInTwoModels_TheLaterModelIsWrong()
    {
        ConfigText.SingleError("""
            models:
              b:
                cmd: s --port ${PORT}
                filters:
                  setParamsByID:
                    "shared:x": { effort: low }
              a:
                cmd: s --port ${PORT}
                filters:
                  setParamsByID:
                    "shared:${MODEL_ID}": {}
                    "shared:x": { effort: high }
            """, "models.b.filters.setParamsByID: 'shared:x' is already an alias of model 'a' (line 12)", 6, 9);
    }

    [Fact]
    public void SetParamsById_TwoKeysExpandingToOneName_AndModelParam_AreErrors()
    {
        var errors = ConfigText.Errors("""
            models:
              m:
                cmd: s --port ${PORT}
                filters:
                  setParamsByID:
                    "${MODEL_ID}:x": {}
                    "m:x": {}
                    "m:y": { model: other }
                    "m:z": [1, 2]
            """);
        Assert.Equal(
        [
            "test.yaml:7:9: models.m.filters.setParamsByID: 'm:x' and '${MODEL_ID}:x' both name 'm:x'",
            "test.yaml:9:16: models.m.filters.setParamsByID.m:z: expected a mapping of JSON keys to set, got a list",
        ], errors);
    }

    [Fact]
    public void SetParamsById_UnknownMacroInAName_IsAnError()
    {
        var error = Assert.Single(ConfigText.Errors("""
            models:
              m:
                cmd: s --port ${PORT}
                filters:
                  setParamsByID:
                    "${MODEL}:x": {}
            """));
        Assert.StartsWith("test.yaml:6:9: models.m.filters.setParamsByID: unknown macro", error);
    }

    [Fact]
    public void AliasMapping_NameAndUnlisted_AreKept()
    {
        var model = ConfigText.Valid("""
            models:
              m:
                cmd: s --port ${PORT}
                name: The model
                aliases:
                  - plain
                  - id: named
                    name: "Named ${MODEL_ID}"
                  - { id: hidden, unlisted: true }
            """).FindModel("m")!;

        Assert.Equal(["plain", "named", "hidden"], model.Aliases.ToArray());
        Assert.Equal(["hidden"], model.UnlistedAliases.ToArray());
        Assert.Equal("Named m", model.ListedNameOf("named"));
        Assert.Equal("The model", model.ListedNameOf("plain"));
    }

    [Fact]
    public void AliasMapping_UnlistedNotABoolean_IsAnError()
    {
        ConfigText.SingleError("""
            models:
              m:
                cmd: s --port ${PORT}
                aliases:
                  - { id: hidden, unlisted: sometimes }
            """, "models.m.aliases[0].unlisted: expected true or false", 5, 33);
    }

    [Fact]
    public void Profiles_LoadSortedWithTheirPins_NullAndEmptyMeanDisabled()
    {
        var config = ConfigText.Valid("""
            models:
              a:
                cmd: s --port ${PORT}
                filters:
                  setParamsByID:
                    "a:think": {}
              b:
                cmd: s --port ${PORT}
                aliases: [bee]
            peers:
              far:
                proxy: http://10.0.0.2:8080
                models: [remote]
            profiles:
              zeta:
                pins: { x: b }
              coding:
                description: For code
                pins:
                  llm-code: a:think
                  llm-plan: bee
                  a: b
                  image: ~
                  audio: ""
                  far-one: far/remote
            """);

        Assert.Equal(["coding", "zeta"], config.Profiles.Select(p => p.Name).ToArray());
        var coding = config.FindProfile("coding")!;
        Assert.Equal("For code", coding.Description);
        Assert.Equal(
            [new KeyValuePair<string, string?>("a", "b"), new("audio", null), new("far-one", "far/remote"), new("image", null),
             new("llm-code", "a:think"), new("llm-plan", "bee")],
            coding.Pins.ToArray());
        Assert.Equal("", config.FindProfile("zeta")!.Description);

        var summary = new StringWriter();
        TinySwap.Cli.ConfigReport.WriteSummary(summary, config, "test.yaml");
        Assert.Contains("aliases: bee", summary.ToString());
        Assert.Contains("aliases: a:think", summary.ToString());
        Assert.Contains("profile coding: a → b, audio → 404, far-one → far/remote, image → 404, llm-code → a:think, llm-plan → bee", summary.ToString());
    }

    [Fact]
    public void Profiles_EveryMistake_IsReportedAtItsPlace()
    {
        var errors = ConfigText.Errors("""
            models:
              a:
                cmd: s --port ${PORT}
            profiles:
              empty:
                description: nothing pinned
              typo:
                pins:
                  x: aa
              flat:
                pins: [a]
              extra:
                pins: { y: a }
                pinz: { y: a }
            """);

        Assert.Equal(
        [
            "test.yaml:5:3: profiles.empty: `pins:` is missing or empty (requested name → model id)",
            "test.yaml:9:10: profiles.typo.pins.x: no model, alias, selector or peer model 'aa' (did you mean 'a'?)",
            "test.yaml:10:3: profiles.flat: `pins:` is missing or empty (requested name → model id)",
            "test.yaml:11:11: profiles.flat.pins: expected a mapping (key: value lines), got a list",
            "test.yaml:14:5: profiles.extra: unknown key 'pinz' (did you mean 'pins'?)",
        ], errors);
    }
}
