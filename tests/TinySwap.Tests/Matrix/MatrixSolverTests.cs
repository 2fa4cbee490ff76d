using TinySwap.Config.Matrix;
using TinySwap.Router.Matrix;

namespace TinySwap.Tests.Matrix;

/// <summary>Eviction choices, including the examples of llama-swap's config.example.yaml and its solver tests.</summary>
public sealed class MatrixSolverTests
{
    internal static MatrixSolver Solver(IReadOnlyDictionary<string, int>? costs, params (string Name, string Expression)[] sets) =>
        Solver(null, costs, sets);

    internal static MatrixSolver Solver(IReadOnlyDictionary<string, string>? vars, IReadOnlyDictionary<string, int>? costs, params (string Name, string Expression)[] sets)
    {
        vars ??= new Dictionary<string, string>();
        var errors = new List<MatrixError>();
        var program = MatrixCompiler.Compile([.. sets.Select(set => new MatrixSetDefinition(set.Name, set.Expression))],
            name => vars.TryGetValue(name, out var model) ? model : name, [], errors);
        Assert.True(program is not null, string.Join("\n", errors));
        return new MatrixSolver(program, costs ?? new Dictionary<string, int>());
    }

    // config.example.yaml's matrix, with its vars and costs resolved.
    private static readonly MatrixSolver Example = Solver(
        new Dictionary<string, string> { ["g"] = "gemma-model", ["q"] = "qwen-model", ["m"] = "mistral-model", ["v"] = "voxtral-model", ["e"] = "reranker-model" },
        new Dictionary<string, int> { ["voxtral-model"] = 50, ["llama-70B"] = 30 },
        ("standard", "(g | qwen-model | m) & v"),
        ("with_rerank", "(g | q) & v & e"),
        ("creative", "(g | q) & stable-diffusion"),
        ("full", "llama-70B"));

    [Fact]
    public void Example_ModelThatFitsBesideTheRunningOne_EvictsNothing()
    {
        var decision = Example.Solve("gemma-model", ["voxtral-model"]);

        Assert.Empty(decision.Evict);
        Assert.Equal("standard", decision.SetName);
        Assert.Equal(["gemma-model", "voxtral-model"], decision.Combination);
    }

    [Fact]
    public void Example_ModelThatRunsAlone_EvictsEverything()
    {
        var decision = Example.Solve("llama-70B", ["voxtral-model", "gemma-model"]);

        Assert.Equal(["voxtral-model", "gemma-model"], decision.Evict);
        Assert.Equal(("full", 51), (decision.SetName, decision.Cost));
    }

    [Fact]
    public void Example_Reranker_JoinsTheRunningPair()
    {
        var decision = Example.Solve("reranker-model", ["gemma-model", "voxtral-model"]);

        Assert.Empty(decision.Evict);
        Assert.Equal("with_rerank", decision.SetName);
    }

    [Fact]
    public void Example_CheapestSet_KeepsTheCostlyModel()
    {
        // standard keeps voxtral (50) and evicts qwen and the reranker; creative would evict voxtral.
        var decision = Example.Solve("mistral-model", ["qwen-model", "voxtral-model", "reranker-model"]);

        Assert.Equal(["qwen-model", "reranker-model"], decision.Evict);
        Assert.Equal(("standard", 2), (decision.SetName, decision.Cost));
    }

    [Fact]
    public void Example_OnlyOneSetHoldsTheTarget_ItsCostIsPaid()
    {
        var decision = Example.Solve("stable-diffusion", ["gemma-model", "voxtral-model", "reranker-model"]);

        Assert.Equal(["voxtral-model", "reranker-model"], decision.Evict);
        Assert.Equal(("creative", 51), (decision.SetName, decision.Cost));
    }

    [Fact]
    public void TargetAlreadyRunning_EvictsNothing() =>
        Assert.Empty(Example.Solve("gemma-model", ["llama-70B", "gemma-model"]).Evict);

    [Fact]
    public void TargetInNoSet_RunsAlone()
    {
        var decision = Solver(null, ("known", "a & b")).Solve("missing", ["a", "b"]);

        Assert.Equal(["a", "b"], decision.Evict);
        Assert.Equal(["missing"], decision.Combination);
        Assert.Null(decision.SetName);
    }

    [Fact]
    public void RunningModelInNoSet_IsAlwaysEvicted()
    {
        var decision = Solver(null, ("s", "t & a")).Solve("t", ["a", "outside"]);

        Assert.Equal(["outside"], decision.Evict);
    }

    [Fact]
    public void EqualCost_FirstSetWins()
    {
        var solver = Solver(null, ("first", "a & b"), ("second", "a & c"));

        Assert.Equal("first", solver.Solve("a", []).SetName);
    }

    [Fact]
    public void EvictCosts_SteerTowardsKeepingTheCostlyModel()
    {
        var solver = Solver(new Dictionary<string, int> { ["b"] = 10, ["c"] = 1 }, ("a_with_c", "a & c"), ("a_with_b", "a & b"));

        var decision = solver.Solve("a", ["b", "c"]);

        Assert.Equal(["c"], decision.Evict);
        Assert.Equal("a_with_b", decision.SetName);
    }

    [Theory]
    [InlineData("t & (a | b)", "b")]
    [InlineData("t & (b | a)", "a")]
    [InlineData("t & a | t & b", "b")]
    [InlineData("t & b | t & a", "a")]
    public void EqualCost_WithinASet_TheFirstCombinationWrittenWins(string expression, string evicted) =>
        Assert.Equal([evicted], Solver(null, ("s", expression)).Solve("t", ["a", "b"]).Evict);

    [Fact]
    public void EqualCost_TheFirstCombinationWins_EvenWhenALaterAlternativeContainsItsPart()
    {
        // Combinations in order: [x,t], [y,t], [x,t]. The first is kept (llama-swap, whose search drops the dominated
        // [x] before combining, ends up keeping y; README names the difference).
        var decision = Solver(null, ("s", "(x | y | x & t) & t")).Solve("t", ["x", "y"]);

        Assert.Equal(["y"], decision.Evict);
    }

    [Fact]
    public void ReferencedSetsComeFirst_InTieBreaks()
    {
        // "alone" references "pair", so "pair" is considered first although written second.
        var solver = Solver(null, ("alone", "t | +pair"), ("pair", "t & a"));

        Assert.Equal(("pair", 0), (solver.Solve("t", []).SetName, solver.Solve("t", []).Cost));
    }

    [Fact]
    public void References_ChainedSets_KeepEverythingRunning()
    {
        var solver = Solver(null, ("llms", "g | q | m"), ("with_tts", "+llms & v"), ("mega", "+with_tts & e"));

        var decision = solver.Solve("e", ["g", "v"]);

        Assert.Empty(decision.Evict);
        Assert.Equal("mega", decision.SetName);
        Assert.Equal(["e", "g", "v"], decision.Combination.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OverlappingReference_CountsAModelOnce()
    {
        var decision = Solver(null, ("base", "a & b"), ("extended", "target & +base & b")).Solve("target", ["a", "b"]);

        Assert.Empty(decision.Evict);
        Assert.Equal(["target", "a", "b"], decision.Combination);
    }

    [Fact]
    public void SubsetSemantics_ABiggerAlternativeKeepsMore()
    {
        var decision = Solver(null, ("s", "target & (a | (a & b))")).Solve("target", ["a", "b"]);

        Assert.Empty(decision.Evict);
    }

    [Fact]
    public void TenGroupsOfTen_KeepsOneRunningModelPerGroup()
    {
        var groups = Enumerable.Range(0, 10).Select(g => "(" + string.Join(" | ", Enumerable.Range(0, 10).Select(c => $"m{g}-{c}")) + ")");
        var solver = Solver(null, ("large", "target & " + string.Join(" & ", groups)));
        string[] running = [.. Enumerable.Range(0, 10).Select(g => $"m{g}-9"), "m3-0", "outside"];

        var decision = solver.Solve("target", running);

        // m3-0 and m3-9 are alternatives: one goes, the one written first stays.
        Assert.Equal(["m3-9", "outside"], decision.Evict);
        Assert.Equal(11, decision.Combination.Count);
    }

    [Fact]
    public void SeventyRunningModels_AllKept()
    {
        var models = Enumerable.Range(0, 70).Select(i => $"m{i}").ToArray();
        var solver = Solver(null, ("wide", "target & " + string.Join(" & ", models)));

        Assert.Equal(["outside"], solver.Solve("target", [.. models, "outside"]).Evict);
    }
}
