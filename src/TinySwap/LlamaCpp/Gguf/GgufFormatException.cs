namespace TinySwap.LlamaCpp.Gguf;

/// <summary>Thrown inside the reader only; <see cref="GgufFile"/> turns it into an error value.</summary>
internal sealed class GgufFormatException(string message) : Exception(message);
