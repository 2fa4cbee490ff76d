namespace TinySwap.Observability;

/// <summary>
/// The time every log line starts with, <c>2026-01-31T12:00:00.123Z</c> (UTC, milliseconds): one writer for stdout,
/// the access log and the HTTP log, without a format-string parse or a string per line.
/// </summary>
internal static class LogTimestamp
{
    public const int Length = 24;

    /// <summary>Writes the time into the first <see cref="Length"/> characters of <paramref name="destination"/>.</summary>
    public static int Write(Span<char> destination, DateTime utc)
    {
        Digits(destination, utc.Year, 4);
        destination[4] = '-';
        Digits(destination[5..], utc.Month, 2);
        destination[7] = '-';
        Digits(destination[8..], utc.Day, 2);
        destination[10] = 'T';
        Digits(destination[11..], utc.Hour, 2);
        destination[13] = ':';
        Digits(destination[14..], utc.Minute, 2);
        destination[16] = ':';
        Digits(destination[17..], utc.Second, 2);
        destination[19] = '.';
        Digits(destination[20..], utc.Millisecond, 3);
        destination[23] = 'Z';
        return Length;
    }

    private static void Digits(Span<char> destination, int value, int count)
    {
        for (var i = count - 1; i >= 0; i--, value /= 10)
            destination[i] = (char)('0' + value % 10);
    }
}
