namespace TinySwap.Config.Matrix;

/// <summary>
/// One node of a parsed matrix set expression, with the 1-based column of its first character in the expression text
/// so an error about it can point into the config file.
/// </summary>
internal abstract class MatrixExpression(int column)
{
    public int Column { get; } = column;
}

/// <summary>A model id or a var naming one, as written.</summary>
internal sealed class MatrixName(int column, string name) : MatrixExpression(column)
{
    public string Name { get; } = name;
}

/// <summary>`+set`: the whole expression of another set, inlined.</summary>
internal sealed class MatrixReference(int column, string setName) : MatrixExpression(column)
{
    public string SetName { get; } = setName;
}

/// <summary>`a &amp; b &amp; c`: one choice from every operand, run together.</summary>
internal sealed class MatrixAllOf(int column, IReadOnlyList<MatrixExpression> operands) : MatrixExpression(column)
{
    public IReadOnlyList<MatrixExpression> Operands { get; } = operands;
}

/// <summary>`a | b | c`: the alternatives, in the order written (which breaks ties).</summary>
internal sealed class MatrixAnyOf(int column, IReadOnlyList<MatrixExpression> alternatives) : MatrixExpression(column)
{
    public IReadOnlyList<MatrixExpression> Alternatives { get; } = alternatives;
}
