namespace TinySwap.Tests.Config.Compat;

/// <summary>
/// One published llama-swap config under configs/, kept byte for byte as published, with where it came from and what
/// llama-swap v250 (mostlygeek/llama-swap 0bdb3720) does with it, worked out by hand from llama-swap's source
/// (internal/config/load.go, macros.go, internal/router/group.go, internal/server/server.go). The lists say what
/// tinyswap must do the same way; <see cref="Divergence"/> names any place where it deliberately does not.
/// </summary>
internal sealed record CompatCase(string File, string Repository, string Path, string Commit, string Blob)
{
    public string Url => $"https://github.com/{Repository}/blob/{Commit}/{Path}";

    /// <summary>The llama-swap version the file was written for (its release, or what its keys need), when known.</summary>
    public required string Targets { get; init; }

    /// <summary>Null when llama-swap v250 loads and serves the file; otherwise its error, and which code raises it.</summary>
    public string? LlamaSwapRefuses { get; init; }

    /// <summary>A named, deliberate difference from llama-swap (see the test class); null when there is none.</summary>
    public string? Divergence { get; init; }

    /// <summary>Variables the file's ${env.NAME} macros need (llama-swap refuses an unset one, as tinyswap does).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>tinyswap's errors, in order, when it refuses the file: "LINE:COL: start of the message".</summary>
    public string[] Errors { get; init; } = [];

    /// <summary>
    /// tinyswap's warnings when it loads the file, other than for llama-swap keys it does not implement: "LINE:COL: start
    /// of the message".
    /// </summary>
    public string[] Warnings { get; init; } = [];

    /// <summary>
    /// "LINE:COL: key path" of each llama-swap key tinyswap accepts without implementing it, when it loads the file.
    /// Expected only while the key tables still mark the key NotImplemented, so these cases stay true as those keys get
    /// implemented.
    /// </summary>
    public string[] NotImplemented { get; init; } = [];

    /// <summary>Model ids, sorted (ordinal).</summary>
    public string[] Models { get; init; } = [];

    /// <summary>"alias=model", sorted by alias.</summary>
    public string[] Aliases { get; init; } = [];

    /// <summary>
    /// "alias=model" that llama-swap registers from `filters.setParamsByID` keys: expected once tinyswap implements the key.
    /// </summary>
    public string[] SetParamsByIdAliases { get; init; } = [];

    /// <summary>
    /// "id: member member (swap exclusive persistent)", flags that are on; the implicit (default) group last, when it holds
    /// a model (llama-swap also keeps it empty, which decides nothing).
    /// </summary>
    public string[] Groups { get; init; } = [];

    /// <summary>
    /// Requests made one after another, each served and finished before the next: "name -> running models after it"
    /// (sorted ids, or "-" for none). Written from llama-swap's router (groupSwapper.EvictionFor, or the matrix for a
    /// config that has one), not from tinyswap's output.
    /// </summary>
    public string[] Swaps { get; init; } = [];

    public override string ToString() => File;
}
