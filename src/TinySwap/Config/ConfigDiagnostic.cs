using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>One error or warning about the config, printed as PATH:LINE:COL: message (the format editors jump to).</summary>
internal sealed record ConfigDiagnostic(string File, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>Collects every error and warning of one load, so the user sees them all at once instead of one per run.</summary>
internal sealed class DiagnosticBag(string file)
{
    private readonly List<ConfigDiagnostic> _errors = [];
    private readonly List<ConfigDiagnostic> _warnings = [];
    private readonly HashSet<ConfigDiagnostic> _seen = [];

    public string File { get; } = file;
    public IReadOnlyList<ConfigDiagnostic> Errors => _errors;
    public IReadOnlyList<ConfigDiagnostic> Warnings => _warnings;
    public int ErrorCount => _errors.Count;

    // Global macros are resolved once per model; the same mistake is reported once.
    public void Error(SourcePosition at, string message) => Add(_errors, new(File, at.Line, at.Column, message));
    public void Error(YamlNode at, string message) => Error(at.Position, message);
    public void Warning(SourcePosition at, string message) => Add(_warnings, new(File, at.Line, at.Column, message));
    public void Warning(YamlNode at, string message) => Warning(at.Position, message);

    /// <summary>A problem with the file itself (unreadable, empty), which has no line to point at.</summary>
    public void FileError(string message) => Add(_errors, new(File, 0, 0, message));

    private void Add(List<ConfigDiagnostic> list, ConfigDiagnostic diagnostic)
    {
        if (_seen.Add(diagnostic))
            list.Add(diagnostic);
    }

    /// <summary>Errors sorted by position, so the output reads top to bottom like the file.</summary>
    public List<ConfigDiagnostic> SortedErrors() => StableSort.Sorted(_errors, ByPosition);

    public List<ConfigDiagnostic> SortedWarnings() => StableSort.Sorted(_warnings, ByPosition);

    private static int ByPosition(ConfigDiagnostic a, ConfigDiagnostic b) =>
        a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column);
}
