namespace TinySwap.Http.Server;

/// <summary>What a <see cref="ResponseWriter"/> asks of its connection.</summary>
internal interface IResponseOwner
{
    /// <summary>Decided once, when the head goes out: may this connection carry another request after the response?</summary>
    bool CanKeepAliveAfterResponse();

    /// <summary>Resets the connection: the response cannot be completed honestly.</summary>
    void Abort();
}
