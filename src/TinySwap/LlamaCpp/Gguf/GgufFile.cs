namespace TinySwap.LlamaCpp.Gguf;

/// <summary>Reads the facts of a GGUF model file on disk; every failure (missing, unreadable, not GGUF, hostile) is an error value.</summary>
internal static class GgufFile
{
    public static GgufReadResult Read(string path, GgufLimits? limits = null)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            var result = GgufReader.Read(stream, stream.Length, limits ?? GgufLimits.Default);
            return result.Error is { } error ? GgufReadResult.Fail($"{path}: {error}") : result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return GgufReadResult.Fail($"{path}: {e.Message}");
        }
    }
}
