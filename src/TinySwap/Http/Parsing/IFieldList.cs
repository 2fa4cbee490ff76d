namespace TinySwap.Http.Parsing;

/// <summary>A parsed head's fields in arrival order (request and response heads alike), for rules that read them all.</summary>
internal interface IFieldList
{
    int HeaderCount { get; }
    ReadOnlySpan<byte> HeaderName(int index);
    ReadOnlySpan<byte> HeaderValue(int index);
}
