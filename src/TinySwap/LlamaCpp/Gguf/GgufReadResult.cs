namespace TinySwap.LlamaCpp.Gguf;

/// <summary>The facts of a GGUF file, or why it could not be read (one line, with the byte offset where it went wrong).</summary>
internal sealed record GgufReadResult(GgufFacts? Facts, string? Error)
{
    public static GgufReadResult Ok(GgufFacts facts) => new(facts, null);
    public static GgufReadResult Fail(string error) => new(null, error);
}
