using System.Buffers;
using TinySwap.Http.Parsing;

namespace TinySwap.Http.Server;

/// <summary>Where an incremental request-head parse stopped: complete lines are already in the head.</summary>
internal struct RequestHeadParseState
{
    public bool ParsingFields;
    public int FieldBytesLeft;

    public static RequestHeadParseState Start(int maxFieldBytes) => new() { FieldBytesLeft = maxFieldBytes };
}

/// <summary>
/// Request line, then fields, then the whole-head checks, into a <see cref="RequestHead"/>. Resumable: call again with
/// more input after a false return; each call continues at the first unconsumed line.
/// </summary>
internal static class RequestHeadParser
{
    public static bool TryParse(ref SequenceReader<byte> reader, RequestHead head, ref RequestHeadParseState state, int maxRequestLineBytes)
    {
        if (!state.ParsingFields)
        {
            if (!RequestLineParser.TryParse(ref reader, head, maxRequestLineBytes))
                return false;
            state.ParsingFields = true;
        }
        if (!HeaderFieldParser.TryParseFields(ref reader, head, ref state.FieldBytesLeft))
            return false;
        head.Complete();
        return true;
    }
}
