using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TinySwap.Observability;

/// <summary>
/// Finds token counts in an answer as its bytes pass, without holding the body: OpenAI's <c>usage</c>
/// (<c>prompt_tokens</c>, <c>completion_tokens</c>), Anthropic's (<c>input_tokens</c>, <c>output_tokens</c>) and
/// llama-server's <c>timings</c> (<c>prompt_n</c>, <c>predicted_n</c>, <c>predicted_per_second</c>), in one JSON
/// document or across the events of an SSE stream. It tracks only whether it is inside a string (so a key quoted in
/// generated text is not mistaken for one), the last short string, and the number being read: state is bounded
/// however the input is split. The last value seen wins: streams repeat counts as they grow.
/// </summary>
internal sealed class UsageScanner
{
    private enum State : byte { Outside, InString, Escape, AfterString, AfterColon, InNumber }
    private enum Key : byte { None, Prompt, Generated, TokensPerSecond }

    // Longest key we look for is "predicted_per_second" (20 bytes); longer strings are never keys of ours.
    private const int MaxKeyLength = 20;
    private const int MaxNumberDigits = 18;
    private readonly byte[] _key = new byte[MaxKeyLength];
    private int _keyLength;
    private State _state;
    private Key _pending;
    private long _integer;
    private long _fraction;
    private long _fractionScale;
    private int _digits;
    private bool _inFraction;
    private bool _negative;

    public long PromptTokens { get; private set; } = -1;
    public long GeneratedTokens { get; private set; } = -1;

    /// <summary>The upstream's own generation speed (llama-server's timings), or -1.</summary>
    public double TokensPerSecond { get; private set; } = -1;

    public void Reset()
    {
        _state = State.Outside;
        _keyLength = 0;
        _pending = Key.None;
        PromptTokens = GeneratedTokens = -1;
        TokensPerSecond = -1;
    }

    public void Feed(ReadOnlySpan<byte> data)
    {
        if (_state != State.Outside)
        {
            // A previous piece ended inside an event: finish its line byte by byte, then judge the rest whole.
            var newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Scan(data);
                return;
            }
            Scan(data[..(newline + 1)]);
            data = data[(newline + 1)..];
        }
        // A raw newline is never inside a JSON string (it must be escaped there), so with no key under way the bytes up to
        // the last newline can be judged whole: without one of our keys' endings they hold nothing for us. That skips the
        // events of an SSE stream (each ends in a newline) until the one that carries the counts.
        if (_state == State.Outside && data.LastIndexOf((byte)'\n') is var lastNewline and >= 0 && !MayHoldKey(data[..lastNewline]))
            data = data[(lastNewline + 1)..];
        Scan(data);
    }

    private void Scan(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length)
        {
            switch (_state)
            {
                case State.Outside:
                    // Outside any string only a quote matters; generated text sits in strings: both skipped vectorized.
                    var quote = data[i..].IndexOf((byte)'"');
                    if (quote < 0)
                        return;
                    i += quote + 1;
                    _state = State.InString;
                    _keyLength = 0;
                    continue;
                case State.InString:
                    var rest = data[i..];
                    var end = rest.IndexOfAny((byte)'"', (byte)'\\');
                    AppendKey(end < 0 ? rest : rest[..end]);
                    if (end < 0)
                        return;
                    i += end + 1;
                    if (rest[end] == (byte)'"')
                        EndString();
                    else
                        _state = State.Escape;
                    continue;
                case State.Escape:
                    _keyLength = MaxKeyLength + 1; // an escaped string is no key of ours
                    _state = State.InString;
                    i++;
                    continue;
            }
            // The states between a key and its number go byte by byte; a byte that ends them is looked at again as Outside.
            var b = data[i];
            switch (_state)
            {
                case State.AfterString:
                    if (IsSpace(b))
                        break;
                    if (b == (byte)':' && _pending != Key.None)
                    {
                        _state = State.AfterColon;
                        break;
                    }
                    _state = State.Outside;
                    continue;
                case State.AfterColon:
                    if (IsSpace(b))
                        break;
                    if (b is (byte)'-' or >= (byte)'0' and <= (byte)'9')
                    {
                        BeginNumber(b);
                        break;
                    }
                    _state = State.Outside;
                    continue;
                case State.InNumber:
                    if (ContinueNumber(b))
                        break;
                    EndNumber();
                    continue;
            }
            i++;
        }
    }

    /// <summary>Whether <paramref name="data"/> holds the ending of one of our keys, closing quote included.</summary>
    /// <remarks>
    /// Runs over every byte of a stream, so it is one pass rather than a substring search per ending: each of our
    /// endings is an underscore with the quote 2 (<c>_n"</c>) or 7 (<c>_tokens"</c>, <c>_second"</c>) bytes after it,
    /// so 16 positions at a time compare for a quote there and an underscore 2 or 7 bytes before; the rare hit is
    /// checked in full.
    /// </remarks>
    internal static bool MayHoldKey(ReadOnlySpan<byte> data)
    {
        var i = 2;
        for (; i < Math.Min(7, data.Length); i++)
        {
            if (data[i] == (byte)'"' && IsKeyEnding(data, i))
                return true;
        }
        if (Vector128.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(data);
            var quote = Vector128.Create((byte)'"');
            var underscore = Vector128.Create((byte)'_');
            for (; i + Vector128<byte>.Count <= data.Length; i += Vector128<byte>.Count)
            {
                var quotes = Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)i), quote);
                var before2 = Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)(i - 2)), underscore);
                var before7 = Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)(i - 7)), underscore);
                var hits = (quotes & (before2 | before7)).ExtractMostSignificantBits();
                for (; hits != 0; hits &= hits - 1)
                {
                    if (IsKeyEnding(data, i + BitOperations.TrailingZeroCount(hits)))
                        return true;
                }
            }
        }
        for (; i < data.Length; i++)
        {
            if (data[i] == (byte)'"' && IsKeyEnding(data, i))
                return true;
        }
        return false;
    }

    private static bool IsKeyEnding(ReadOnlySpan<byte> data, int quote) =>
        data[..(quote + 1)].EndsWith("_n\""u8) || data[..(quote + 1)].EndsWith("_tokens\""u8) || data[..(quote + 1)].EndsWith("_second\""u8);

    /// <summary>Keeps a string's first <see cref="MaxKeyLength"/> bytes; a longer one is marked as no key of ours.</summary>
    private void AppendKey(ReadOnlySpan<byte> run)
    {
        if (_keyLength > MaxKeyLength)
            return;
        var room = MaxKeyLength - _keyLength;
        run[..Math.Min(room, run.Length)].CopyTo(_key.AsSpan(_keyLength));
        _keyLength = Math.Min(_keyLength + run.Length, MaxKeyLength + 1);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private void EndString()
    {
        var key = _keyLength <= MaxKeyLength ? _key.AsSpan(0, _keyLength) : default;
        _pending = key.IsEmpty ? Key.None
            : key.SequenceEqual("prompt_tokens"u8) || key.SequenceEqual("input_tokens"u8) || key.SequenceEqual("prompt_n"u8) ? Key.Prompt
            : key.SequenceEqual("completion_tokens"u8) || key.SequenceEqual("output_tokens"u8) || key.SequenceEqual("predicted_n"u8) ? Key.Generated
            : key.SequenceEqual("predicted_per_second"u8) ? Key.TokensPerSecond
            : Key.None;
        _state = State.AfterString;
    }

    private void BeginNumber(byte b)
    {
        _state = State.InNumber;
        _negative = b == (byte)'-';
        _integer = _negative ? 0 : b - '0';
        _fraction = 0;
        _fractionScale = 1;
        _digits = _negative ? 0 : 1;
        _inFraction = false;
    }

    private bool ContinueNumber(byte b)
    {
        if (b is >= (byte)'0' and <= (byte)'9')
        {
            if (++_digits > MaxNumberDigits)
                return true; // precision beyond this is noise; keep consuming the digits
            if (_inFraction)
            {
                _fraction = _fraction * 10 + (b - '0');
                _fractionScale *= 10;
            }
            else
                _integer = _integer * 10 + (b - '0');
            return true;
        }
        if (b == (byte)'.' && !_inFraction)
        {
            _inFraction = true;
            return true;
        }
        // An exponent is not something a token count or a speed carries; give up on this value.
        if (b is (byte)'e' or (byte)'E' or (byte)'+')
        {
            _pending = Key.None;
            return true;
        }
        return false;
    }

    private void EndNumber()
    {
        _state = State.Outside;
        if (_negative)
            return;
        switch (_pending)
        {
            case Key.Prompt when !_inFraction:
                PromptTokens = _integer;
                break;
            case Key.Generated when !_inFraction:
                GeneratedTokens = _integer;
                break;
            case Key.TokensPerSecond:
                TokensPerSecond = _integer + (double)_fraction / _fractionScale;
                break;
        }
        _pending = Key.None;
    }
}
