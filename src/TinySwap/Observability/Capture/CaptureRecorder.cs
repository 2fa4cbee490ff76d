using System.Buffers;
using System.Text;

namespace TinySwap.Observability.Capture;

/// <summary>
/// Collects one forwarded request as it passes: the forwarder reports the request head, every body byte it sends,
/// the upstream's head and every body byte it copies back. One per connection (on its <see cref="RequestTrace"/>),
/// present only while <c>captureBuffer</c> is on; <see cref="CaptureStore"/> turns it into a
/// <see cref="RequestCapture"/> when the request ends.
/// </summary>
internal sealed class CaptureRecorder
{
    private readonly List<KeyValuePair<string, string>> _requestHeaders = [];
    private readonly List<KeyValuePair<string, string>> _responseHeaders = [];
    private readonly CappedBytes _requestBody = new();
    private readonly CappedBytes _responseBody = new();
    private string _method = "";
    private string _path = "";
    private int _responseStatus;

    /// <summary>True once the forwarder began this request: only forwarded requests are captured.</summary>
    public bool IsRecording { get; private set; }

    /// <summary>Forgets the last request (its buffers go back to the pool); each body of the next is kept up to <paramref name="bodyLimit"/>.</summary>
    public void Reset(int bodyLimit)
    {
        IsRecording = false;
        _requestHeaders.Clear();
        _responseHeaders.Clear();
        _requestBody.Reset(bodyLimit);
        _responseBody.Reset(bodyLimit);
        _method = _path = "";
        _responseStatus = 0;
    }

    public void BeginRequest(ReadOnlySpan<byte> method, ReadOnlySpan<byte> path)
    {
        IsRecording = true;
        _method = Encoding.ASCII.GetString(method);
        _path = Encoding.ASCII.GetString(path);
    }

    public void RequestHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => AddHeader(_requestHeaders, name, value);

    /// <summary>A retry sends the body again from its start.</summary>
    public void RestartRequestBody() => _requestBody.Reset(_requestBody.Limit);

    public void RequestBody(ReadOnlySpan<byte> data) => _requestBody.Append(data);

    public void RequestBody(in ReadOnlySequence<byte> data) => _requestBody.Append(data);

    public void ResponseHead(int status)
    {
        _responseStatus = status;
        _responseHeaders.Clear();
    }

    public void ResponseHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => AddHeader(_responseHeaders, name, value);

    public void ResponseBody(in ReadOnlySequence<byte> data) => _responseBody.Append(data);

    /// <summary>The finished capture, bodies copied to exact-size arrays (the pooled buffers stay until <see cref="Reset"/>).</summary>
    public RequestCapture Take(long id, string? model) => new(id, model, _method, _path,
        [.. _requestHeaders], _requestBody.Kept.ToArray(), _requestBody.Total,
        _responseStatus, [.. _responseHeaders], _responseBody.Kept.ToArray(), _responseBody.Total);

    /// <summary>
    /// One entry per field name: repeated fields are joined with ", " as RFC 9110 §5.3 allows, so the JSON object has
    /// unique keys. Credentials are replaced by <see cref="SensitiveHeaders.Redacted"/>.
    /// </summary>
    private static void AddHeader(List<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var text = SensitiveHeaders.Contains(name) ? SensitiveHeaders.Redacted : Encoding.Latin1.GetString(value);
        for (var i = 0; i < headers.Count; i++)
        {
            if (Ascii.EqualsIgnoreCase(name, headers[i].Key))
            {
                if (text != SensitiveHeaders.Redacted)
                    headers[i] = new(headers[i].Key, headers[i].Value + ", " + text);
                return;
            }
        }
        headers.Add(new(Encoding.ASCII.GetString(name), text));
    }
}
