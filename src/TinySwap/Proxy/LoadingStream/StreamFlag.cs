using System.Buffers;
using System.Text.Json;

namespace TinySwap.Proxy.LoadingStream;

/// <summary>Whether a JSON request body asks for a streamed answer (<c>"stream": true</c> at its top level).</summary>
internal static class StreamFlag
{
    public static bool IsStreaming(in ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isStream = reader.ValueTextEquals("stream"u8);
                if (!reader.Read())
                    return false;
                if (isStream)
                    return reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // The upstream judges a malformed body; it just gets no loading stream.
        }
        return false;
    }
}
