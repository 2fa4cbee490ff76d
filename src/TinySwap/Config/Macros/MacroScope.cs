namespace TinySwap.Config.Macros;

/// <summary>The macros visible to one model (or, without a model id, to the global sections), by name.</summary>
internal sealed class MacroScope
{
    public const string Port = "PORT";
    public const string ModelIdName = "MODEL_ID";
    public const string Pid = "PID";

    private readonly Dictionary<string, MacroValue> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _broken = new(StringComparer.Ordinal);

    public MacroScope(string? modelId) => ModelId = modelId;

    public string? ModelId { get; }

    /// <summary>The model's ${PORT}, once allocated; null while unknown or when its cmd does not use it.</summary>
    public int? AllocatedPort { get; set; }

    /// <summary>Set while probing whether cmd uses ${PORT}: the macro is left in place instead of reported.</summary>
    public bool PortPending { get; set; }

    public IEnumerable<string> UserNames => _values.Keys;

    public void Define(string name, MacroValue value) => _values[name] = value;

    /// <summary>A macro whose definition has an error (already reported): uses of it are not reported again.</summary>
    public void DefineBroken(string name) => _broken.Add(name);

    public bool IsBroken(string name) => _broken.Contains(name);

    public bool TryGetUser(string name, out MacroValue value) => _values.TryGetValue(name, out value);
}
