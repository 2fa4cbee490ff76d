namespace TinySwap.LlamaCpp.Estimate;

/// <summary>llama-server's `-fa on|off|auto`.</summary>
internal enum FlashAttention { Auto, On, Off }
