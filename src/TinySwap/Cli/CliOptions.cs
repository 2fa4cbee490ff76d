using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace TinySwap.Cli;

internal enum CliCommand { Serve, Validate, Version, Help }

/// <summary>The parsed command line.</summary>
internal sealed record CliOptions
{
    public const string DefaultConfigPath = "config.yaml";

    public CliCommand Command { get; init; } = CliCommand.Serve;
    public string ConfigPath { get; init; } = DefaultConfigPath;

    /// <summary>--listen values (normalised HOST:PORT); empty means "use the config's listen".</summary>
    public ImmutableArray<string> Listen { get; init; } = [];

    /// <summary>--log-level; null means "use the config's logLevel".</summary>
    public LogLevel? LogLevel { get; init; }

    /// <summary>--watch-config: reload when the config file changes, as SIGHUP does.</summary>
    public bool WatchConfig { get; init; }
}

/// <summary>Options, or a usage error to print (exit 2).</summary>
internal sealed record CliParseResult(CliOptions? Options, string? Error);
