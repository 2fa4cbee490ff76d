namespace TinySwap.Http.Server;

/// <summary>The `Date: ...CRLF` line (RFC 9110 §6.6.1), formatted at most once a second and shared by every response.</summary>
internal static class DateHeader
{
    private static byte[] s_line = [];
    private static long s_second = -1;

    public static ReadOnlySpan<byte> Line
    {
        get
        {
            var second = Environment.TickCount64 / 1000;
            var line = Volatile.Read(ref s_line);
            if (second != Volatile.Read(ref s_second))
            {
                // Benign race: two threads may format the same second; both results are correct.
                var text = new byte[37];
                "Date: "u8.CopyTo(text);
                DateTimeOffset.UtcNow.TryFormat(text.AsSpan(6), out var written, "r");
                "\r\n"u8.CopyTo(text.AsSpan(6 + written));
                line = text[..(8 + written)];
                Volatile.Write(ref s_line, line);
                Volatile.Write(ref s_second, second);
            }
            return line;
        }
    }
}
