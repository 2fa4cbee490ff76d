using System.Buffers;
using System.Globalization;
using System.Text;

namespace TinySwap.Observability.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4 straight into a buffer: numbers formatted in place, label sets
/// given as bytes prepared once (<see cref="Label"/>), so a scrape allocates nothing beyond the buffer.
/// </summary>
internal readonly struct ExpositionWriter(IBufferWriter<byte> output)
{
    /// <summary>The <c># HELP</c> and <c># TYPE</c> lines that open a metric family.</summary>
    public void Family(ReadOnlySpan<byte> name, ReadOnlySpan<byte> type, ReadOnlySpan<byte> help)
    {
        Write("# HELP "u8);
        Write(name);
        Write(" "u8);
        Write(help);
        Write("\n# TYPE "u8);
        Write(name);
        Write(" "u8);
        Write(type);
        Write("\n"u8);
    }

    public void Sample(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, long value)
    {
        Head(name, default, labels, default);
        Number(value);
        Write("\n"u8);
    }

    public void Sample(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, double value) => Sample(name, labels, default, value);

    /// <summary>A sample whose label set is two prepared parts joined by a comma (either may be empty).</summary>
    public void Sample(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> moreLabels, long value)
    {
        Head(name, default, labels, moreLabels);
        Number(value);
        Write("\n"u8);
    }

    public void Sample(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> moreLabels, double value)
    {
        Head(name, default, labels, moreLabels);
        Number(value);
        Write("\n"u8);
    }

    /// <summary>The <c>_bucket</c>, <c>_sum</c> and <c>_count</c> lines of one histogram, buckets made cumulative here.</summary>
    public void Histogram(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, Histogram histogram)
    {
        Span<byte> le = stackalloc byte[40];
        long cumulative = 0;
        var bounds = histogram.Bounds;
        for (var i = 0; i <= bounds.Length; i++)
        {
            cumulative += histogram.Bucket(i);
            int length;
            if (i == bounds.Length)
            {
                "le=\"+Inf\""u8.CopyTo(le);
                length = 9;
            }
            else
            {
                "le=\""u8.CopyTo(le);
                bounds[i].TryFormat(le[4..], out var written, "R", CultureInfo.InvariantCulture);
                le[4 + written] = (byte)'"';
                length = 5 + written;
            }
            Head(name, "_bucket"u8, labels, le[..length]);
            Number(cumulative);
            Write("\n"u8);
        }
        Head(name, "_sum"u8, labels, default);
        Number(histogram.Sum);
        Write("\n"u8);
        Head(name, "_count"u8, labels, default);
        Number(cumulative);
        Write("\n"u8);
    }

    private void Head(ReadOnlySpan<byte> name, ReadOnlySpan<byte> suffix, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> moreLabels)
    {
        Write(name);
        Write(suffix);
        if (labels.IsEmpty && moreLabels.IsEmpty)
        {
            Write(" "u8);
            return;
        }
        Write("{"u8);
        Write(labels);
        if (!labels.IsEmpty && !moreLabels.IsEmpty)
            Write(","u8);
        Write(moreLabels);
        Write("} "u8);
    }

    private void Number(long value)
    {
        var span = output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    private void Number(double value)
    {
        if (double.IsNaN(value))
        {
            Write("NaN"u8);
            return;
        }
        if (double.IsInfinity(value))
        {
            Write(value > 0 ? "+Inf"u8 : "-Inf"u8);
            return;
        }
        var span = output.GetSpan(32);
        value.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            return;
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    /// <summary>
    /// <c>name="value"</c> as UTF-8, with the value escaped as the format requires (backslash, double quote and line
    /// feed); made once per label set, never per scrape.
    /// </summary>
    public static byte[] Label(string name, string value) => Encoding.UTF8.GetBytes(name + "=\"" + Escape(value) + "\"");

    /// <summary>Two labels in one set.</summary>
    public static byte[] Labels(string name, string value, string name2, string value2) =>
        Encoding.UTF8.GetBytes(name + "=\"" + Escape(value) + "\"," + name2 + "=\"" + Escape(value2) + "\"");

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
