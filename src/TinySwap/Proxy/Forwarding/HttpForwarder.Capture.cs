using TinySwap.Http.Server;
using TinySwap.Http.Upstream;
using TinySwap.Observability.Capture;

namespace TinySwap.Proxy.Forwarding;

/// <summary>
/// What the forwarder tells a <see cref="CaptureRecorder"/> (<c>captureBuffer</c>): the client's request as it
/// arrived, the body as it was sent, the upstream's answer as it was copied. Called only when the trace has a
/// recorder, so with captures off the forwarder does nothing more than a null check.
/// </summary>
internal sealed partial class HttpForwarder
{
    private static void CaptureRequestHead(CaptureRecorder capture, RequestHead head)
    {
        capture.BeginRequest(head.Method, head.Path);
        for (var i = 0; i < head.HeaderCount; i++)
            capture.RequestHeader(head.HeaderName(i), head.HeaderValue(i));
    }

    private static void CaptureResponseHead(CaptureRecorder capture, ResponseHead head)
    {
        capture.ResponseHead(head.StatusCode);
        for (var i = 0; i < head.HeaderCount; i++)
            capture.ResponseHeader(head.HeaderName(i), head.HeaderValue(i));
    }
}
