using TinySwap.Config.Matrix;

namespace TinySwap.Tests.Matrix;

public sealed class MatrixDslParserTests
{
    // The tree written back with explicit parentheses: what binds to what, and nothing else.
    private static string Shape(MatrixExpression expression) => expression switch
    {
        MatrixName name => name.Name,
        MatrixReference reference => "+" + reference.SetName,
        MatrixAllOf all => "(" + string.Join(" & ", all.Operands.Select(Shape)) + ")",
        MatrixAnyOf any => "(" + string.Join(" | ", any.Alternatives.Select(Shape)) + ")",
        _ => throw new ArgumentException(expression.GetType().Name),
    };

    private static string Parse(string text)
    {
        Assert.True(MatrixDslParser.TryParse(text, out var expression, out var error), $"{text}: {error}");
        return Shape(expression!);
    }

    [Theory]
    [InlineData("model-a", "model-a")]
    [InlineData("model-name.v2", "model-name.v2")]
    [InlineData("a & b", "(a & b)")]
    [InlineData("a | b | c", "(a | b | c)")]
    [InlineData("(a | b) & c", "((a | b) & c)")]
    [InlineData("(a | b) & (c | d)", "((a | b) & (c | d))")]
    [InlineData("a | b & c", "(a | (b & c))")]
    [InlineData("a & b | c & d", "((a & b) | (c & d))")]
    [InlineData("+llms & v", "(+llms & v)")]
    [InlineData("(a | +base) & b", "((a | +base) & b)")]
    [InlineData("  ((a))  ", "a")]
    [InlineData("a&b|c", "((a & b) | c)")]
    [InlineData("llama_3.1-8B & qwen2.5", "(llama_3.1-8B & qwen2.5)")]
    [InlineData("gemma\n  & voxtral", "(gemma & voxtral)")]
    public void TryParse_ValidExpression_GroupsAndBeforeOr(string text, string shape) => Assert.Equal(shape, Parse(text));

    [Fact]
    public void TryParse_RecordsTheColumnOfEveryNode()
    {
        Assert.True(MatrixDslParser.TryParse("(g | q) & +tts", out var expression, out _));
        var all = Assert.IsType<MatrixAllOf>(expression);
        var any = Assert.IsType<MatrixAnyOf>(all.Operands[0]);
        Assert.Equal([2, 6], any.Alternatives.Select(node => node.Column));
        Assert.Equal(11, all.Operands[1].Column);
    }

    [Theory]
    [InlineData("", 1, "the set is empty")]
    [InlineData("   ", 1, "the set is empty")]
    [InlineData("+", 2, "'+' must be followed by the name of a set")]
    [InlineData("a & + b", 6, "'+' must be followed by the name of a set")]
    [InlineData("a @ b", 3, "'@' after a complete expression")]
    [InlineData("a b", 3, "'b' after a complete expression")]
    [InlineData("(a", 3, "the '(' at column 1 is never closed")]
    [InlineData("a & (b | (c & d)", 17, "the '(' at column 5 is never closed")]
    [InlineData("a)", 2, "')' without a matching '('")]
    [InlineData("()", 2, "expected a model name, '+set' or '(' but found ')'")]
    [InlineData("a &", 4, "but the expression ends")]
    [InlineData("a & | b", 5, "but found '|'")]
    [InlineData("| a", 1, "but found '|'")]
    [InlineData("a & \u0007", 5, "but found U+0007")]
    public void TryParse_Mistake_PointsAtItsColumn(string text, int column, string message)
    {
        Assert.False(MatrixDslParser.TryParse(text, out var expression, out var error));
        Assert.Null(expression);
        Assert.Equal(column, error.Column);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void TryParse_HostileNesting_IsAnErrorNotAStackOverflow()
    {
        var text = new string('(', 10_000) + "a" + new string(')', 10_000);

        Assert.False(MatrixDslParser.TryParse(text, out _, out var error));
        Assert.Contains("nest deeper than 64", error.Message);
    }

    [Fact]
    public void TryParse_NestingWithinTheLimit_Parses() =>
        Assert.Equal("a", Parse(new string('(', 64) + "a" + new string(')', 64)));
}
