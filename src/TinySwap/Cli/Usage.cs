namespace TinySwap.Cli;

/// <summary>The --help text and the version line.</summary>
internal static class Usage
{
    public const string Text = """
        tinyswap: starts local inference servers on demand and swaps them behind one OpenAI-compatible endpoint.

        Usage:
          tinyswap [--config PATH] [--listen HOST:PORT] [--log-level LEVEL] [--watch-config]
          tinyswap validate [--config PATH]
          tinyswap --version | --help

        Serve options:
          --config PATH        config file (default: ./config.yaml); llama-swap's config.yaml works unchanged
          --listen HOST:PORT   address to serve on, repeatable (default: the config's `listen`, else 127.0.0.1:8080);
                               :PORT means every interface, [::1]:PORT an IPv6 address
          --log-level LEVEL    trace, debug, info, warn or error (default: the config's `logLevel`, else info)
          --watch-config       reload the config when the file changes (SIGHUP always reloads)

        validate:
          Checks the config and prints a summary (models, ports, aliases, groups, policy), or every error as
          PATH:LINE:COL: message.

        Exit codes: 0 ok, 1 config invalid or unreadable, 2 bad command line, 3 could not start serving.
        """;

    public static string VersionLine() => "tinyswap " + BuildVersion.Value;
}
