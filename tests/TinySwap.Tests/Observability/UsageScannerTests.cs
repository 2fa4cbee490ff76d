using System.Text;
using TinySwap.Observability;

namespace TinySwap.Tests.Observability;

public sealed class UsageScannerTests
{
    private const string OpenAiStream =
        "data: {\"choices\":[{\"delta\":{\"content\":\"say \\\"prompt_tokens\\\":99\"}}]}\n\n" +
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":34,\"total_tokens\":46}}\n\n" +
        "data: [DONE]\n\n";

    [Fact]
    public void OpenAiStream_FedWhole_FindsUsageAndIgnoresKeysQuotedInContent()
    {
        var scanner = Scan(OpenAiStream);
        Assert.Equal(12, scanner.PromptTokens);
        Assert.Equal(34, scanner.GeneratedTokens);
        Assert.Equal(-1, scanner.TokensPerSecond);
    }

    [Fact]
    public void OpenAiStream_FedOneBytePerCall_FindsTheSameCounts()
    {
        var scanner = new UsageScanner();
        foreach (var b in Encoding.UTF8.GetBytes(OpenAiStream))
            scanner.Feed([b]);
        Assert.Equal(12, scanner.PromptTokens);
        Assert.Equal(34, scanner.GeneratedTokens);
    }

    [Fact]
    public void MayHoldKey_FindsEachEndingAtEveryOffset_AndNothingElse()
    {
        // Offsets cover the scalar head, every lane of the 16-byte blocks and the scalar tail.
        foreach (var ending in new[] { "\"prompt_tokens\"", "\"predicted_n\"", "\"predicted_per_second\"" })
        {
            for (var offset = 0; offset < 40; offset++)
            {
                for (var tail = 0; tail < 20; tail++)
                {
                    var text = new string('x', offset) + ending + new string('y', tail);
                    Assert.True(UsageScanner.MayHoldKey(Encoding.ASCII.GetBytes(text)), text);
                }
            }
        }
        foreach (var text in new[] { "", "\"", "_\"", "n\"", "{\"finish_reason\":null,\"t_mono_us\":5,\"_\":\"_n\\\"x\"}", "\"tokens\"", "_tokens", "\"second\":1" })
            Assert.False(UsageScanner.MayHoldKey(Encoding.ASCII.GetBytes(text)), text);
    }

    [Fact]
    public void EverySplitPoint_GivesTheSameCounts()
    {
        var bytes = Encoding.UTF8.GetBytes(OpenAiStream);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var scanner = new UsageScanner();
            scanner.Feed(bytes.AsSpan(0, split));
            scanner.Feed(bytes.AsSpan(split));
            Assert.True(scanner.PromptTokens == 12 && scanner.GeneratedTokens == 34, $"split at {split}");
        }
    }

    [Fact]
    public void PrettyPrintedAnswer_WithAValueOnTheNextLine_GivesTheSameCountsAtEverySplit()
    {
        // Newlines between a key and its value, and events before it that hold only text (skipped a line at a time).
        var text = "data: {\"content\":\"a\\nb \\\"completion_tokens\\\": 7\"}\n\n" +
            "{\n  \"usage\": {\n    \"prompt_tokens\":\n      12,\n    \"completion_tokens\" :\n 34\n  }\n}\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var first = 0; first <= bytes.Length; first++)
        {
            for (var second = first; second <= bytes.Length; second += 7)
            {
                var scanner = new UsageScanner();
                scanner.Feed(bytes.AsSpan(0, first));
                scanner.Feed(bytes.AsSpan(first, second - first));
                scanner.Feed(bytes.AsSpan(second));
                Assert.True(scanner.PromptTokens == 12 && scanner.GeneratedTokens == 34, $"split at {first} and {second}");
            }
        }
    }

    [Fact]
    public void LlamaServerTimings_GiveCountsAndSpeed()
    {
        var scanner = Scan("{\"content\":\"x\",\"timings\":{\"prompt_n\": 5, \"predicted_n\" : 17, \"predicted_per_second\":42.125}}");
        Assert.Equal(5, scanner.PromptTokens);
        Assert.Equal(17, scanner.GeneratedTokens);
        Assert.Equal(42.125, scanner.TokensPerSecond);
    }

    [Fact]
    public void AnthropicStream_LastOutputCountWins()
    {
        var scanner = Scan(
            "event: message_start\ndata: {\"message\":{\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n" +
            "event: message_delta\ndata: {\"usage\":{\"output_tokens\":15}}\n\n");
        Assert.Equal(25, scanner.PromptTokens);
        Assert.Equal(15, scanner.GeneratedTokens);
    }

    [Fact]
    public void ValuesThatAreNotCounts_AreIgnored()
    {
        var scanner = Scan("{\"prompt_tokens\":\"12\",\"completion_tokens\":-3,\"predicted_n\":1.5,\"output_tokens\":[1]}");
        Assert.Equal(-1, scanner.PromptTokens);
        Assert.Equal(-1, scanner.GeneratedTokens);
    }

    [Fact]
    public void Reset_ForgetsThePreviousAnswer()
    {
        var scanner = Scan("{\"prompt_tokens\":3");
        scanner.Reset();
        scanner.Feed("1}"u8);
        Assert.Equal(-1, scanner.PromptTokens);
    }

    private static UsageScanner Scan(string text)
    {
        var scanner = new UsageScanner();
        scanner.Feed(Encoding.UTF8.GetBytes(text));
        return scanner;
    }
}
