using System.IO.Pipelines;

namespace TinySwap.Http.Transport;

/// <summary>
/// One connection of a tunnel after a protocol switch (RFC 9110 §7.8): raw bytes in (<see cref="IDuplexPipe.Input"/>,
/// complete at the peer's FIN), raw bytes out, and the two ways to end it.
/// </summary>
internal interface ITunnelSide : IDuplexPipe
{
    /// <summary>Sends our FIN after pending output: the peer reads end of stream, and may still send to us.</summary>
    void ShutdownOutput();

    /// <summary>Resets the connection, so the peer sees a failure rather than a clean end.</summary>
    void Abort();
}
