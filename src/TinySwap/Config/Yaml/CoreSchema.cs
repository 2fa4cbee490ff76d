using System.Globalization;

namespace TinySwap.Config.Yaml;

internal enum ScalarKind { Null, Bool, Integer, Float, String }

/// <summary>
/// YAML 1.2 core schema tag resolution (yaml.org/spec/1.2.2, 10.3.2) for plain scalars: what `port: 8080`,
/// `on: true` or `temp: .7` mean. Quoted and block scalars are strings. Unlike YAML 1.1, `yes`/`on` stay strings
/// (as in go-yaml v3, which llama-swap uses).
/// </summary>
internal static class CoreSchema
{
    private const string StrTag = "tag:yaml.org,2002:str";

    public static ScalarKind Resolve(string text, bool plain, string? tag)
    {
        if (tag is not null && (tag == StrTag || tag == "!"))
            return ScalarKind.String;
        if (!plain)
            return ScalarKind.String;
        if (IsNull(text))
            return ScalarKind.Null;
        if (TryBool(text, out _))
            return ScalarKind.Bool;
        if (TryInteger(text, out _) || IsDecimalInteger(text))
            return ScalarKind.Integer;
        if (TryFloat(text, out _))
            return ScalarKind.Float;
        return ScalarKind.String;
    }

    public static bool IsNull(string text) => text is "" or "~" or "null" or "Null" or "NULL";

    public static bool TryBool(string text, out bool value)
    {
        switch (text)
        {
            case "true" or "True" or "TRUE": value = true; return true;
            case "false" or "False" or "FALSE": value = false; return true;
            default: value = false; return false;
        }
    }

    /// <summary>Decimal, 0o octal or 0x hex integer that fits in 64 bits.</summary>
    public static bool TryInteger(string text, out long value)
    {
        value = 0;
        if (text.StartsWith("0x", StringComparison.Ordinal) && text.Length > 2)
            return AllOf(text.AsSpan(2), IsHex) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && value >= 0;
        if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2)
        {
            foreach (var c in text.AsSpan(2))
            {
                if (c is < '0' or > '7' || value > (long.MaxValue >> 3))
                    return false;
                value = (value << 3) | (long)(c - '0');
            }
            return true;
        }
        return IsDecimalInteger(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>[-+]?[0-9]+ (may be too large for a long; JSON still takes it as a number).</summary>
    public static bool IsDecimalInteger(string text)
    {
        var digits = text.AsSpan(text.Length > 0 && text[0] is '-' or '+' ? 1 : 0);
        return !digits.IsEmpty && AllOf(digits, char.IsAsciiDigit);
    }

    /// <summary>Core schema float, including the integer forms; .inf and .nan give infinities and NaN.</summary>
    public static bool TryFloat(string text, out double value)
    {
        value = 0;
        var body = text.AsSpan();
        var negative = false;
        if (body.Length > 0 && body[0] is '-' or '+')
        {
            negative = body[0] == '-';
            body = body[1..];
        }
        if (body is ".inf" or ".Inf" or ".INF")
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (text is ".nan" or ".NaN" or ".NAN")
        {
            value = double.NaN;
            return true;
        }
        if (!IsCoreFloatSyntax(body))
            return false;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    // (\.[0-9]+ | [0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    private static bool IsCoreFloatSyntax(ReadOnlySpan<char> s)
    {
        var i = 0;
        var mantissaDigits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; mantissaDigits++; }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var fraction = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; fraction++; }
            if (mantissaDigits == 0 && fraction == 0)
                return false;
            mantissaDigits += fraction;
        }
        if (mantissaDigits == 0)
            return false;
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '-' or '+')
                i++;
            var exponent = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; exponent++; }
            if (exponent == 0)
                return false;
        }
        return i == s.Length;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static bool AllOf(ReadOnlySpan<char> span, Func<char, bool> predicate)
    {
        foreach (var c in span)
        {
            if (!predicate(c))
                return false;
        }
        return true;
    }
}
