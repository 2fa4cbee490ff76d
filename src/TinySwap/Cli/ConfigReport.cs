using System.Globalization;
using TinySwap.Config;
using TinySwap.LlamaCpp;

namespace TinySwap.Cli;

/// <summary>What `validate` prints: every error, or a one-screen summary of a valid config.</summary>
internal static class ConfigReport
{
    private const int MaxModelsShown = 24;
    private const int CommandWidth = 60;

    public static void WriteErrors(TextWriter output, ConfigLoadResult result)
    {
        foreach (var error in result.Errors)
            output.WriteLine(error);
        foreach (var warning in result.Warnings)
            output.WriteLine(warning + " (warning)");
        var count = result.Errors.Length;
        output.WriteLine(count == 1 ? "1 error; nothing was started." : $"{count} errors; nothing was started.");
    }

    public static void WriteSummary(TextWriter output, TinySwapConfig config, string displayPath)
    {
        var groups = config.Groups.Length;
        output.WriteLine($"{displayPath}: valid, {Count(config.Models.Length, "model")}, {Count(groups, "group")}, swap policy: {Policy(config)}");
        output.WriteLine($"listen: {string.Join(", ", config.Listen)}");

        var shown = config.Models[..Math.Min(config.Models.Length, MaxModelsShown)];
        var idWidth = 2;
        foreach (var model in shown)
            idWidth = Math.Max(idWidth, model.Id.Length);
        output.WriteLine();
        output.WriteLine($"  {"ID".PadRight(idWidth)}  {"UPSTREAM",-22}  COMMAND");
        foreach (var model in shown)
        {
            output.WriteLine($"  {model.Id.PadRight(idWidth)}  {Upstream(model),-22}  {Head(model)}");
            var indent = "  " + "".PadRight(idWidth) + "  ";
            if (!model.Aliases.IsEmpty)
                output.WriteLine($"{indent}aliases: {string.Join(", ", model.Aliases)}");
            if (model.LlamaCpp is { } llamaCpp)
            {
                // The whole argv, not the truncated head: it is what the user did not write by hand.
                output.WriteLine($"{indent}argv: {string.Join(' ', model.Command.Select(ShellWord))}");
                foreach (var line in LlamaCppMetadata.Describe(llamaCpp))
                    output.WriteLine(indent + line);
            }
            if (config.Policy == SwapPolicy.Resources && model.Resources.Count > 0)
                output.WriteLine($"{indent}needs: {string.Join(", ", StableSort.ByOrdinal(model.Resources, r => r.Key).ConvertAll(r => $"{r.Key} {r.Value}"))}");
        }
        if (config.Models.Length > MaxModelsShown)
            output.WriteLine($"  ... and {config.Models.Length - MaxModelsShown} more");

        output.WriteLine();
        foreach (var group in config.Groups)
            output.WriteLine($"  group {group.Id}: {GroupTraits(group)}; {string.Join(", ", group.Members)}");
        foreach (var selector in config.Selectors)
            output.WriteLine($"  selector {selector.Id}: {SelectorTraits(selector)}; {string.Join(", ", selector.Targets.Select(t => t.Name))}");
        if (!config.Preload.IsEmpty)
            output.WriteLine($"  preload: {string.Join(", ", config.Preload)}");
        foreach (var profile in config.Profiles)
            output.WriteLine($"  profile {profile.Name}: {string.Join(", ", profile.Pins.Select(p => $"{p.Key} → {p.Value ?? "404"}"))}");
        foreach (var warning in config.Warnings)
            output.WriteLine("warning: " + warning);
    }

    private static string SelectorTraits(SelectorConfig selector) =>
        (selector.Strategy == SelectorStrategy.Spillover ? $"spillover {selector.Spillover}" : selector.StrategyName)
        + (selector.Unlisted ? ", unlisted" : "");

    private static string Policy(TinySwapConfig config) => config.Policy switch
    {
        SwapPolicy.MaxRunning => $"maxRunning {config.MaxRunning}",
        SwapPolicy.Matrix => $"matrix ({string.Join(", ", config.Matrix!.Program.Sets.Select(set => set.Name))})",
        SwapPolicy.Resources => "resources (" + string.Join(", ", StableSort.ByOrdinal(config.Resources, r => r.Key).ConvertAll(r => $"{r.Key} {r.Value}")) + ")",
        _ => "groups",
    };

    private static string Upstream(ModelConfig model) =>
        model.Port is { } port && model.Proxy.Host == "127.0.0.1" && model.Proxy.Port == port
            ? "port " + port.ToString(CultureInfo.InvariantCulture)
            : model.Proxy.GetLeftPart(UriPartial.Path).TrimEnd('/');

    private static string Head(ModelConfig model)
    {
        if (model.IsExternallyManaged)
            return "(managed by its wake/sleep hooks)";
        var text = string.Join(' ', model.Command);
        return text.Length <= CommandWidth ? text : text[..(CommandWidth - 3)] + "...";
    }

    /// <summary>An argument as a shell would need it to stay one word.</summary>
    private static string ShellWord(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string GroupTraits(GroupConfig group) =>
        (group.Swap ? "swap" : "run together") + (group.Exclusive ? ", exclusive" : ", not exclusive") + (group.Persistent ? ", persistent" : "");

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
