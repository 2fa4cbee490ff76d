using TinySwap.LlamaCpp.Estimate;
using TinySwap.LlamaCpp.Gguf;
using TinySwap.LlamaCpp.Launch;

namespace TinySwap.LlamaCpp;

/// <summary>A model launched through `llamacpp:`: the launch as configured, what its GGUF file says, and what it should take.</summary>
internal sealed record LlamaCppModel(LlamaServerLaunch Launch, GgufFacts Facts, MemoryEstimate Estimate);

/// <summary>`slots:`: restore llama-server's KV-cache slots once healthy, save them before stopping.</summary>
internal sealed record SlotSettings(bool RestoreOnStart, bool SaveOnStop, int Count)
{
    public static readonly SlotSettings None = new(false, false, 0);
    public bool Any => RestoreOnStart || SaveOnStop;

    /// <summary>The file a slot is saved to, inside the server's --slot-save-path.</summary>
    public static string FileName(int slot) => $"slot-{slot}.bin";
}
