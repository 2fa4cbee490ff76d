using TinySwap.Config.Matrix;

namespace TinySwap.Tests.Matrix;

public sealed class MatrixCompilerTests
{
    private static readonly string[] Models = ["gemma", "qwen", "mistral", "voxtral", "reranker"];

    private static (MatrixProgram? Program, List<MatrixError> Errors) Compile(IReadOnlyDictionary<string, string>? vars, params (string Name, string Expression)[] sets)
    {
        vars ??= new Dictionary<string, string>();
        var errors = new List<MatrixError>();
        var program = MatrixCompiler.Compile(
            [.. sets.Select(set => new MatrixSetDefinition(set.Name, set.Expression))],
            name => vars.TryGetValue(name, out var model) ? model : Models.Contains(name) ? name : null,
            vars.Keys.Concat(Models),
            errors);
        return (program, errors);
    }

    [Fact]
    public void Compile_VarsAndModelIds_ResolveToModelIds_VarsFirst()
    {
        var vars = new Dictionary<string, string> { ["g"] = "gemma", ["qwen"] = "mistral" };

        var (program, errors) = Compile(vars, ("s", "g & qwen & voxtral & gemma"));

        Assert.Empty(errors);
        Assert.Equal(["gemma", "mistral", "voxtral"], program!.Models);
    }

    [Fact]
    public void Compile_TenGroupsOfTenAlternatives_StaysAGraphOfOneNodePerModelAndOperator()
    {
        var groups = Enumerable.Range(0, 10).Select(g => "(" + string.Join(" | ", Enumerable.Range(0, 10).Select(c => $"m{g}-{c}")) + ")");
        var errors = new List<MatrixError>();

        var program = MatrixCompiler.Compile([new("big", "t & " + string.Join(" & ", groups))], name => name, [], errors);

        Assert.Empty(errors);
        Assert.Equal(101 + 10 + 1, program!.Nodes.Count);
    }

    [Fact]
    public void Compile_SharedReference_IsOneSubgraph()
    {
        var (program, _) = Compile(null, ("llms", "gemma | qwen | mistral"), ("tts", "+llms & voxtral"), ("rerank", "+llms & reranker"));

        var llmsRoot = program!.Sets.Single(set => set.Name == "llms").Root;
        Assert.All(program.Sets.Where(set => set.Name != "llms"), set => Assert.Contains(llmsRoot, program.Nodes[set.Root].Children));
    }

    [Fact]
    public void Compile_Order_IsDefinitionOrderWithReferencedSetsFirst()
    {
        var (program, _) = Compile(null, ("first", "gemma"), ("mega", "+with_tts & reranker"), ("with_tts", "+llms & voxtral"), ("llms", "qwen | mistral"), ("last", "qwen"));

        Assert.Equal(["first", "llms", "with_tts", "mega", "last"], program!.Sets.Select(set => set.Name));
    }

    [Fact]
    public void Compile_UnknownName_PointsAtIt_WithAHint()
    {
        var (program, errors) = Compile(new Dictionary<string, string> { ["g"] = "gemma" }, ("s", "g & voxtrall"));

        Assert.Null(program);
        var error = Assert.Single(errors);
        Assert.Equal((0, 5), (error.SetIndex, error.Column));
        Assert.Equal("set 's': 'voxtrall' is neither a var nor a model id (did you mean 'voxtral'?)", error.Message);
    }

    [Fact]
    public void Compile_UnknownReference_PointsAtIt()
    {
        var (_, errors) = Compile(null, ("llms", "gemma | qwen"), ("s", "voxtral & +llm"));

        var error = Assert.Single(errors);
        Assert.Equal((1, 11), (error.SetIndex, error.Column));
        Assert.Equal("set 's': '+llm' names no set (did you mean 'llms'?)", error.Message);
    }

    [Fact]
    public void Compile_ReferenceCycle_NamesTheCycleAtTheReferenceClosingIt()
    {
        var (program, errors) = Compile(null, ("a", "gemma & +b"), ("b", "qwen | +c"), ("c", "+a & voxtral"));

        Assert.Null(program);
        var error = Assert.Single(errors);
        Assert.Equal((2, 1), (error.SetIndex, error.Column));
        Assert.Equal("set 'c': '+a' makes a reference cycle (a -> b -> c -> a)", error.Message);
    }

    [Fact]
    public void Compile_SelfReference_IsACycle()
    {
        var (_, errors) = Compile(null, ("a", "gemma | +a"));

        Assert.Equal("set 'a': '+a' makes a reference cycle (a -> a)", Assert.Single(errors).Message);
    }

    [Fact]
    public void Compile_EveryMistakeOfEverySet_IsReported()
    {
        var (_, errors) = Compile(null, ("empty", " "), ("bad", "gemma &"), ("unknown", "nobody | qwen"), ("s", "+nowhere"), ("s", "gemma"));

        Assert.Equal(
        [
            (4, 0, "set 's' is defined twice"),
            (0, 1, "set 'empty': the set is empty: write model names joined by '&' and '|'"),
            (1, 8, "set 'bad': expected a model name, '+set' or '(' but the expression ends"),
            (2, 1, "set 'unknown': 'nobody' is neither a var nor a model id"),
            (3, 1, "set 's': '+nowhere' names no set"),
        ], errors.Select(error => (error.SetIndex, error.Column, error.Message)));
    }

    [Fact]
    public void Compile_NoSets_IsAnError()
    {
        var (program, errors) = Compile(null);

        Assert.Null(program);
        Assert.Equal((-1, 0), (Assert.Single(errors).SetIndex, errors[0].Column));
    }
}
