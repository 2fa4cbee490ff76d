using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Router;
using TinySwap.Tests.Config;

namespace TinySwap.Tests.Matrix;

/// <summary>`routing.router.use: matrix` and its settings, loaded as llama-swap loads them; mistakes at PATH:LINE:COL.</summary>
public sealed class MatrixConfigTests
{
    private const string Models = """
        models:
          gemma: {cmd: "server --port ${PORT}"}
          qwen: {cmd: "server --port ${PORT}"}
          voxtral: {cmd: "server --port ${PORT}"}
          llama-70B: {cmd: "server --port ${PORT}"}

        """;

    private sealed record Planned(ModelConfig Config, ModelState State = ModelState.Ready, int InFlight = 0, long LastUsed = 0) : IPlannedModel;

    private static string[] Evictions(TinySwapConfig config, string target, params string[] running)
    {
        var planner = SwapPlanners.FromConfig(config, new RouterOptions());
        var evict = new List<IPlannedModel>();
        Planned Up(string id) => new(config.Models.Single(model => model.Id == id));
        planner.PlanEvictions(Up(target) with { State = ModelState.Stopped }, [.. running.Select(Up)], evict);
        return [.. evict.Select(model => model.Config.Id)];
    }

    [Fact]
    public void UseMatrix_VarsCostsAndSets_DecideEvictions()
    {
        var config = ConfigText.Valid(Models + """
            routing:
              router:
                use: matrix
                settings:
                  matrix:
                    vars: {g: gemma, q: qwen, v: voxtral}
                    evict_costs: {v: 50, llama-70B: 30}
                    sets:
                      standard: "(g | q) & v"
                      full: "llama-70B"
            """);

        Assert.Equal(SwapPolicy.Matrix, config.Policy);
        Assert.Equal(["standard", "full"], config.Matrix!.Program.Sets.Select(set => set.Name));
        Assert.Equal(50, config.Matrix.EvictCosts["voxtral"]);
        Assert.Empty(Evictions(config, "gemma", "voxtral"));
        Assert.Equal(["qwen"], Evictions(config, "gemma", "qwen", "voxtral"));
        Assert.Equal(["gemma", "voxtral"], Evictions(config, "llama-70B", "gemma", "voxtral"));
    }

    [Fact]
    public void TopLevelMatrix_LlamaSwapsOlderPlace_ChoosesTheMatrix()
    {
        var config = ConfigText.Valid(Models + """
            matrix:
              sets:
                pair: "gemma & voxtral"
            """);

        Assert.Equal(SwapPolicy.Matrix, config.Policy);
        Assert.Equal(["qwen"], Evictions(config, "gemma", "qwen", "voxtral"));
    }

    [Fact]
    public void UseMatrix_RoutingGroupsBesideIt_AreUnused()
    {
        var config = ConfigText.Valid(Models + """
            routing:
              router:
                use: matrix
                settings:
                  groups:
                    all: {swap: false, members: [gemma, qwen]}
                  matrix:
                    sets: {s: "gemma | qwen"}
            """);

        Assert.Equal(SwapPolicy.Matrix, config.Policy);
        Assert.Equal(["gemma"], Evictions(config, "qwen", "gemma"));
    }

    [Fact]
    public void MatrixWithoutUseMatrix_IsUnused_WithAWarning()
    {
        var result = ConfigText.Load(Models + """
            routing:
              router:
                settings:
                  matrix:
                    sets: {s: "not-a-model"}
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(SwapPolicy.Groups, result.Config!.Policy);
        Assert.Contains(result.Warnings, warning => warning.ToString().StartsWith("test.yaml:10:9: routing.router.settings.matrix: not used", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownNameInASet_PointsAtItsColumnInTheFile()
    {
        var errors = ConfigText.Errors(Models + """
            routing:
              router:
                use: matrix
                settings:
                  matrix:
                    vars: {g: gemma}
                    sets:
                      plain: g & voxtrall
                      quoted: "(g | qwen) & +nowhere"
            """);

        Assert.Equal(
        [
            "test.yaml:13:22: routing.router.settings.matrix.sets: set 'plain': 'voxtrall' is neither a var nor a model id (did you mean 'voxtral'?)",
            "test.yaml:14:33: routing.router.settings.matrix.sets: set 'quoted': '+nowhere' names no set",
        ], errors);
    }

    [Fact]
    public void ReferenceCycle_InABlockScalar_PointsAtTheReferenceOnItsLine()
    {
        var errors = ConfigText.Errors(Models + """
            matrix:
              sets:
                a: gemma & +b
                b: |
                  qwen
                  | +a
            """);

        Assert.Equal(["test.yaml:11:9: matrix.sets: set 'b': '+a' makes a reference cycle (a -> b -> a)"], errors);
    }

    [Fact]
    public void SyntaxError_PointsIntoTheExpression()
    {
        var error = ConfigText.SingleError(Models + """
            matrix:
              sets:
                s: "(gemma | qwen & voxtral"
            """, "the '(' at column 1 is never closed", 8, 32);

        Assert.Contains("matrix.sets: set 's'", error);
    }

    [Fact]
    public void VarsAndCosts_AreChecked()
    {
        var errors = ConfigText.Errors(Models + """
            matrix:
              vars: {g_1: gemma, q: qwen-7b, l: llama-70B}
              evict_costs: {gem: 5, nobody: 2, l: 0}
              sets: {s: "l"}
            """);

        Assert.Equal(string.Join('\n',
        [
            "test.yaml:7:10: matrix.vars: 'g_1' must be 1 to 32 letters, digits, '-' or '.'",
            "test.yaml:7:25: matrix.vars.q: no model 'qwen-7b' (did you mean 'qwen'?)",
            "test.yaml:8:17: matrix.evict_costs: 'gem' is neither a var nor a model id",
            "test.yaml:8:25: matrix.evict_costs: 'nobody' is neither a var nor a model id",
            "test.yaml:8:39: matrix.evict_costs.l: a cost is a whole number of at least 1, got 0",
        ]), string.Join('\n', errors));
    }

    [Theory]
    [InlineData("routing:\n  router:\n    use: matrix\n", "routing.router.use: `matrix` needs routing.router.settings.matrix")]
    [InlineData("matrix: {sets: {s: gemma}}\nrouting:\n  router:\n    use: group\n", "cannot be combined with `routing.router`")]
    [InlineData("matrix: {sets: {s: gemma}}\nmaxRunning: 2\n", "`matrix`, `maxRunning` each choose how models are swapped")]
    [InlineData("matrix: {sets: {s: gemma}}\ngroups:\n  g: {members: [gemma]}\n", "`groups`, `matrix` each choose how models are swapped")]
    [InlineData("matrix: {}\n", "the matrix defines no sets")]
    [InlineData("routing:\n  router:\n    use: matrixx\n", "'matrixx' is not group or matrix (did you mean 'matrix'?)")]
    public void WrongPlaceOrCombination_IsAnError(string yaml, string fragment) =>
        Assert.Contains(ConfigText.Errors(Models + yaml), error => error.Contains(fragment, StringComparison.Ordinal));
}
