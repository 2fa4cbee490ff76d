using TinySwap.Config;

namespace TinySwap.Tests.Config;

public sealed class CommandLineSplitterTests
{
    private static string[] Split(string command)
    {
        var split = CommandLineSplitter.Split(command);
        Assert.True(split.Succeeded, split.Error);
        return [.. split.Arguments];
    }

    [Theory]
    [InlineData("llama-server --port 5800", new[] { "llama-server", "--port", "5800" })]
    [InlineData("  a \t b  ", new[] { "a", "b" })]
    [InlineData("a 'b c' d", new[] { "a", "b c", "d" })]
    [InlineData("a \"b c\" d", new[] { "a", "b c", "d" })]
    [InlineData("a'b c'd", new[] { "ab cd" })]
    [InlineData("a \"\" b", new[] { "a", "", "b" })]
    [InlineData("a '' b", new[] { "a", "", "b" })]
    [InlineData("my\\ file", new[] { "my file" })]
    [InlineData("\\\"quoted\\\"", new[] { "\"quoted\"" })]
    [InlineData("'single \\ stays'", new[] { "single \\ stays" })]
    [InlineData("\"a \\\" b\"", new[] { "a \" b" })]
    [InlineData("\"keep \\n and \\$HOME\"", new[] { "keep \\n and $HOME" })]
    [InlineData("\"it's\"", new[] { "it's" })]
    [InlineData("'say \"hi\"'", new[] { "say \"hi\"" })]
    [InlineData("--gpus '\"device=2,3\"'", new[] { "--gpus", "\"device=2,3\"" })]
    [InlineData("trailing\\", new[] { "trailing" })]
    [InlineData("", new string[0])]
    public void Split_ShellWords_GivesArgv(string command, string[] expected) => Assert.Equal(expected, Split(command));

    [Fact]
    public void Split_MultiLineBlock_JoinsLinesAsOneCommand()
    {
        Assert.Equal(["llama-server", "--port", "5800", "-m", "/models/x.gguf", "--ctx-size", "8192"],
            Split("llama-server --port 5800\n  -m /models/x.gguf\n  --ctx-size 8192\n"));
    }

    [Fact]
    public void Split_CommentLines_AreDropped()
    {
        Assert.Equal(["llama-server", "--port", "5800", "--jinja"],
            Split("# the server\nllama-server --port 5800\n    # --flash-attn\n  --jinja\n"));
    }

    [Fact]
    public void Split_BackslashAtLineEnd_ContinuesAndSeparatesWords()
    {
        // llama-swap turns a trailing backslash into a space, so "a\" + "b" are two words (a shell would join them).
        Assert.Equal(["a", "b", "c"], Split("a \\\nb\\\nc"));
        Assert.Equal(["a", "b"], Split("a \\   \nb"));
    }

    [Fact]
    public void Split_BackslashNewlineInsideDoubleQuotes_JoinsTheLines()
    {
        Assert.Equal(["ab"], Split("\"a\\\nb\""));
    }

    [Fact]
    public void Split_QuotedNewline_IsKept()
    {
        Assert.Equal(["a\nb"], Split("'a\nb'"));
    }

    [Fact]
    public void Split_HashAfterArguments_IsPassedOnAndFlagged()
    {
        // llama-swap's splitter has no inline comments: "# comment?" reaches the program. We do the same, and say so.
        var split = CommandLineSplitter.Split("llama-server --port 5800\n  -m /models/x.gguf  # comment?\n");
        Assert.Equal(["llama-server", "--port", "5800", "-m", "/models/x.gguf", "#", "comment?"], split.Arguments.ToArray());
        Assert.Equal([(2, 22)], split.HashWords.ToArray());
    }

    [Fact]
    public void Split_HashInsideAWord_IsNotFlagged()
    {
        var split = CommandLineSplitter.Split("curl http://x/#anchor 'a # b'");
        Assert.Equal(["curl", "http://x/#anchor", "a # b"], split.Arguments.ToArray());
        Assert.Empty(split.HashWords);
    }

    [Theory]
    [InlineData("a 'b c", "unterminated single quote", 1, 3)]
    [InlineData("a\n  --x \"b c", "unterminated double quote", 2, 7)]
    [InlineData("ok\n# \"ignored\n\"open", "unterminated double quote", 3, 1)]
    public void Split_UnbalancedQuote_ReportsWhereItOpened(string command, string error, int line, int column)
    {
        var split = CommandLineSplitter.Split(command);
        Assert.False(split.Succeeded);
        Assert.Equal(error, split.Error);
        Assert.Equal((line, column), (split.Line, split.Column));
    }
}
