using System.Text;

namespace TinySwap.Observability.Metrics;

/// <summary>
/// The <c>code</c> label of a finished request: the exact status for the codes a proxy of models answers with, the
/// class (<c>4xx</c>) for any other, <c>aborted</c> when the connection was cut. A fixed set, so a misbehaving
/// upstream cannot grow the series count.
/// </summary>
internal static class StatusCodeLabel
{
    private static readonly int[] Known =
        [200, 201, 204, 206, 301, 302, 304, 307, 308, 400, 401, 403, 404, 405, 408, 409, 413, 415, 421, 422, 429, 431, 500, 501, 502, 503, 504];

    private static readonly string[] Classes = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    /// <summary>Every label value, indexed by <see cref="Slot"/>.</summary>
    public static readonly byte[][] Values = Build();

    public static int Count => Values.Length;

    public static int Slot(int status)
    {
        var exact = Array.IndexOf(Known, status);
        if (exact >= 0)
            return exact;
        if (status is >= 100 and <= 599)
            return Known.Length + status / 100 - 1;
        return Known.Length + Classes.Length; // aborted, or an impossible status
    }

    private static byte[][] Build()
    {
        var all = new List<byte[]>();
        foreach (var code in Known)
            all.Add(ExpositionWriter.Label("code", code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var name in Classes)
            all.Add(ExpositionWriter.Label("code", name));
        all.Add(Encoding.UTF8.GetBytes("code=\"aborted\""));
        return [.. all];
    }
}
