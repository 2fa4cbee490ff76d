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
        for (var i = 0; i < data.Length; i++)
        {
            var b = data[i];
            switch (_state)
            {
                case State.InString:
                    if (b == (byte)'"')
                        EndString();
                    else if (b == (byte)'\\')
                        _state = State.Escape;
                    else if (_keyLength <= MaxKeyLength)
                    {
                        if (_keyLength < MaxKeyLength)
                            _key[_keyLength] = b;
                        _keyLength++;
                    }
                    continue;
                case State.Escape:
                    _keyLength = MaxKeyLength + 1; // an escaped string is no key of ours
                    _state = State.InString;
                    continue;
                case State.AfterString:
                    if (IsSpace(b))
                        continue;
                    _state = b == (byte)':' && _pending != Key.None ? State.AfterColon : State.Outside;
                    if (_state == State.AfterColon)
                        continue;
                    break;
                case State.AfterColon:
                    if (IsSpace(b))
                        continue;
                    if (b is (byte)'-' or >= (byte)'0' and <= (byte)'9')
                    {
                        BeginNumber(b);
                        continue;
                    }
                    _state = State.Outside;
                    break;
                case State.InNumber:
                    if (ContinueNumber(b))
                        continue;
                    EndNumber();
                    break;
            }
            // Outside any string: only a quote matters.
            if (b == (byte)'"')
            {
                _state = State.InString;
                _keyLength = 0;
            }
        }
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
