namespace TinySwap.Config.Matrix;

/// <summary>A mistake in one set expression: 1-based column within the expression text, and what is wrong.</summary>
internal readonly record struct MatrixSyntaxError(int Column, string Message);

/// <summary>
/// Parses llama-swap's matrix set language: names, `&amp;` (together), `|` (alternatives, binds looser than `&amp;`),
/// parentheses and `+set` references. Names use letters, digits, `_`, `-` and `.`, as in llama-swap, so a model id
/// with `/` or `:` needs a var. The first mistake ends the parse: what follows it cannot be read reliably.
/// </summary>
internal ref struct MatrixDslParser
{
    // Parentheses nest by recursion; a limit keeps a hostile config from overflowing the stack.
    private const int MaxDepth = 64;

    private readonly ReadOnlySpan<char> _text;
    private int _position;
    private int _depth;
    private MatrixSyntaxError? _error;

    private MatrixDslParser(ReadOnlySpan<char> text) => _text = text;

    public static bool TryParse(string text, out MatrixExpression? expression, out MatrixSyntaxError error)
    {
        var parser = new MatrixDslParser(text);
        parser.SkipSpaces();
        expression = null;
        if (parser.AtEnd)
        {
            error = new(1, "the set is empty: write model names joined by '&' and '|'");
            return false;
        }
        var parsed = parser.ParseAnyOf();
        if (parser._error is null && !parser.AtEnd)
            parser.Fail(parser._text[parser._position] == ')' ? "')' without a matching '('" : $"{parser.Describe()} after a complete expression: join with '&' or '|'");
        error = parser._error ?? default;
        if (parser._error is not null)
            return false;
        expression = parsed;
        return true;
    }

    private readonly bool AtEnd => _position >= _text.Length;
    private readonly int Column => _position + 1;

    private MatrixExpression? ParseAnyOf()
    {
        var column = Column;
        var first = ParseAllOf();
        if (first is null || !Accept('|'))
            return first;
        List<MatrixExpression> alternatives = [first];
        do
        {
            if (ParseAllOf() is not { } next)
                return null;
            alternatives.Add(next);
        }
        while (Accept('|'));
        return new MatrixAnyOf(column, alternatives);
    }

    private MatrixExpression? ParseAllOf()
    {
        var column = Column;
        var first = ParseOperand();
        if (first is null || !Accept('&'))
            return first;
        List<MatrixExpression> operands = [first];
        do
        {
            if (ParseOperand() is not { } next)
                return null;
            operands.Add(next);
        }
        while (Accept('&'));
        return new MatrixAllOf(column, operands);
    }

    private MatrixExpression? ParseOperand()
    {
        if (AtEnd)
            return Fail("expected a model name, '+set' or '(' but the expression ends");
        var column = Column;
        var c = _text[_position];
        if (IsNameChar(c))
            return new MatrixName(column, ReadName());
        if (c == '+')
        {
            _position++;
            if (AtEnd || !IsNameChar(_text[_position]))
                return Fail("'+' must be followed by the name of a set, with no space");
            var name = ReadName();
            return new MatrixReference(column, name);
        }
        if (c == '(')
            return ParseParenthesised(column);
        return Fail($"expected a model name, '+set' or '(' but found {Describe()}");
    }

    private MatrixExpression? ParseParenthesised(int open)
    {
        if (++_depth > MaxDepth)
            return Fail($"parentheses nest deeper than {MaxDepth}");
        _position++;
        SkipSpaces();
        var inner = ParseAnyOf();
        _depth--;
        if (inner is null)
            return null;
        if (!Accept(')'))
            return Fail($"the '(' at column {open} is never closed");
        return inner;
    }

    private string ReadName()
    {
        var start = _position;
        while (!AtEnd && IsNameChar(_text[_position]))
            _position++;
        var name = _text[start.._position].ToString();
        SkipSpaces();
        return name;
    }

    // Consumes the operator when it is next; leaves anything else for the caller.
    private bool Accept(char op)
    {
        if (AtEnd || _text[_position] != op)
            return false;
        _position++;
        SkipSpaces();
        return true;
    }

    private void SkipSpaces()
    {
        while (!AtEnd && char.IsWhiteSpace(_text[_position]))
            _position++;
    }

    private readonly string Describe()
    {
        var c = _text[_position];
        return char.IsControl(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : $"'{c}'";
    }

    private MatrixExpression? Fail(string message)
    {
        _error ??= new(Column, message);
        return null;
    }

    // llama-swap's identifier characters: a Unicode letter or digit, '_', '-' or '.'.
    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.';
}
