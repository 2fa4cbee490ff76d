namespace TinySwap.Tests.Config.Compat;

/// <summary>The manifest of configs/: each file's origin and what llama-swap v250 and tinyswap do with it (see <see cref="CompatCase"/>).</summary>
internal static partial class CompatCases
{
    // Built on first use: the two lists are initialised in their own files, in an order C# does not define.
    private static CompatCase[]? _all;

    public static IReadOnlyList<CompatCase> All => _all ??= [.. LlamaSwapExamples, .. Published];
}
