using TinySwap.Config.Keys;
using TinySwap.Config.Yaml;
using TinySwap.LlamaCpp.Memory;

namespace TinySwap.Config;

/// <summary>
/// Loads and validates a config file: YAML → typed raw values → models (macros, ports, argv) → cross-checks.
/// Each stage records what it finds and carries on, so one run reports every mistake in the file.
/// </summary>
internal static class ConfigLoader
{
    /// <summary>Reads <paramref name="path"/>; errors name it as given, <see cref="TinySwapConfig.SourcePath"/> is absolute.</summary>
    public static ConfigLoadResult Load(string path, Func<string, string?>? environment = null, ISystemMemorySource? memory = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var diagnostics = new DiagnosticBag(path);
            diagnostics.FileError("cannot read the config: " + e.Message);
            return Failed(diagnostics);
        }
        return Parse(text, path, Path.GetFullPath(path), environment, memory);
    }

    /// <summary>Loads config text; <paramref name="displayPath"/> prefixes every message.</summary>
    /// <param name="memory">What `resources: auto` measures; the machine's own unless a test passes another.</param>
    public static ConfigLoadResult Parse(string text, string displayPath, string? sourcePath = null, Func<string, string?>? environment = null,
        ISystemMemorySource? memory = null)
    {
        var diagnostics = new DiagnosticBag(displayPath);
        var root = YamlTreeReader.Read(text, diagnostics);
        if (root is null)
            return Failed(diagnostics);

        var reader = new NodeReader(diagnostics, environment ?? Environment.GetEnvironmentVariable);
        var raw = new RawConfigReader(reader).Read(root);
        var sourceLines = text.Split('\n');
        var builder = new ModelBuilder(reader, raw, sourceLines);
        var globals = builder.GlobalScope();
        var models = new Dictionary<string, ModelConfig>(StringComparer.Ordinal);
        foreach (var model in StableSort.ByOrdinal(raw.Models, m => m.Id))
        {
            if (builder.Build(model) is { } built)
                models[model.Id] = built;
        }

        var autoBudgets = AutoResources.Apply(raw, models, diagnostics, memory ?? SystemMemory.Instance);
        var validator = new ConfigValidator(diagnostics, raw, models);
        var byName = validator.CheckNames();
        var groups = validator.CheckGroups();
        var preload = validator.CheckPreload();
        var matrix = validator.CheckMatrix(sourceLines);
        validator.CheckPolicy();
        var budgets = autoBudgets ?? validator.CheckResources();
        var apiKeys = validator.CheckApiKeys();
        var peers = validator.CheckPeers(builder, globals);
        var tempDirectory = validator.CheckTempDirectory();
        var selectors = validator.CheckSelectors(builder, globals, matrix, groups, budgets);
        var ignorePaths = UpstreamIgnorePaths.Compile(raw.IgnorePaths, diagnostics);
        if (diagnostics.ErrorCount > 0)
            return Failed(diagnostics);

        var config = new TinySwapConfig
        {
            SourcePath = sourcePath ?? displayPath,
            Listen = raw.Listen.Count > 0 ? [.. raw.Listen.ConvertAll(l => l.Value)] : [GlobalKeys.Listen.Default],
            HealthCheckTimeout = raw.HealthCheckTimeout,
            LogLevel = raw.LogLevel,
            StartPort = raw.FirstPort,
            GlobalTtl = raw.GlobalTtl,
            UnloadTimeout = raw.UnloadTimeout,
            QueueTimeout = raw.QueueTimeout,
            DrainTimeout = raw.DrainTimeout,
            MaxRunning = raw.MaxRunning is { } max ? (int)max.Value : null,
            Resources = budgets,
            CountSleeping = raw.CountSleeping,
            ActivityEntries = raw.MetricsMaxInMemory,
            LogBufferKB = raw.LogBufferKB,
            CaptureBufferMB = raw.CaptureBufferMB,
            Models = [.. StableSort.ByOrdinal(models.Values, m => m.Id)],
            Groups = groups,
            Matrix = matrix,
            Preload = preload,
            ApiKeys = apiKeys,
            SendLoadingState = raw.SendLoadingState,
            IncludeAliasesInList = raw.IncludeAliasesInList,
            Limits = raw.Limits,
            Peers = peers,
            Selectors = selectors,
            AllowedHosts = [.. raw.AllowedHosts.ConvertAll(h => h.Value)],
            CorsAllowOrigins = [.. raw.CorsAllowOrigins.ConvertAll(o => o.Value)],
            TempDirectory = tempDirectory,
            IgnorePaths = ignorePaths,
            Warnings = [.. diagnostics.SortedWarnings().ConvertAll(w => w.ToString())],
            ModelsByName = byName,
        };
        return new ConfigLoadResult(config, [], [.. diagnostics.SortedWarnings()]);
    }

    private static ConfigLoadResult Failed(DiagnosticBag diagnostics) =>
        new(null, [.. diagnostics.SortedErrors()], [.. diagnostics.SortedWarnings()]);
}
