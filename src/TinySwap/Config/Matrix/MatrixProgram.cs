namespace TinySwap.Config.Matrix;

/// <summary>One named set as written in the config: its name and its expression text.</summary>
internal sealed record MatrixSetDefinition(string Name, string Expression);

/// <summary>
/// A mistake in the matrix sets: the index of the set in the definition order (-1 for the matrix as a whole), the
/// 1-based column within its expression (0: the set as a whole), and what is wrong.
/// </summary>
internal sealed record MatrixError(int SetIndex, int Column, string Message);

internal enum MatrixNodeKind : byte { Model, AllOf, AnyOf }

/// <summary>
/// A node of the compiled expression graph. A `+set` reference is not a node: the referring node links straight to the
/// referenced set's root, so a set used by several others is one shared subgraph (a DAG, never a tree copy).
/// </summary>
internal sealed class MatrixNode(MatrixNodeKind kind, int model, int[] children, ulong[] support)
{
    public MatrixNodeKind Kind { get; } = kind;

    /// <summary>Index into <see cref="MatrixProgram.Models"/> for a model node; -1 otherwise.</summary>
    public int Model { get; } = model;

    /// <summary>Indexes into <see cref="MatrixProgram.Nodes"/>, in the order written (the tie-break order).</summary>
    public int[] Children { get; } = children;

    /// <summary>Bit i is set when model i appears somewhere below this node.</summary>
    public ulong[] Support { get; } = support;
}

/// <summary>A compiled set: its name, its expression as written (for logs) and its root node.</summary>
internal sealed record MatrixCompiledSet(string Name, string Expression, int Root);

/// <summary>
/// The matrix sets compiled into one immutable expression graph, without distributing `&amp;` over `|`: ten groups
/// of ten alternatives stay 111 nodes, not 10^10 combinations. Vars are resolved to model ids. Read-only after
/// <see cref="MatrixCompiler.Compile"/>, so any number of threads may solve against it.
/// </summary>
internal sealed class MatrixProgram(IReadOnlyList<string> models, IReadOnlyList<MatrixNode> nodes, IReadOnlyList<MatrixCompiledSet> sets)
{
    /// <summary>Every distinct model id the sets name; a model's index is its bit in <see cref="MatrixNode.Support"/>.</summary>
    public IReadOnlyList<string> Models { get; } = models;

    public IReadOnlyList<MatrixNode> Nodes { get; } = nodes;

    /// <summary>
    /// The sets in the order that breaks ties between them: definition order, except that a set comes after the sets
    /// it references (llama-swap orders them so, depth first).
    /// </summary>
    public IReadOnlyList<MatrixCompiledSet> Sets { get; } = sets;

    public int SupportWords => (Models.Count + 63) / 64;

    public static bool Contains(ulong[] support, int model) => (support[model >> 6] & (1UL << (model & 63))) != 0;
}
