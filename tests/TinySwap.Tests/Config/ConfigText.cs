using TinySwap.Config;

namespace TinySwap.Tests.Config;

/// <summary>Loads config text as the loader would load a file named test.yaml, with a controlled environment.</summary>
internal static class ConfigText
{
    public const string File = "test.yaml";

    public static ConfigLoadResult Load(string yaml, IReadOnlyDictionary<string, string>? environment = null) =>
        ConfigLoader.Parse(yaml, File, "/abs/test.yaml", name => environment is not null && environment.TryGetValue(name, out var v) ? v : null);

    public static TinySwapConfig Valid(string yaml, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = Load(yaml, environment);
        Assert.True(result.IsValid, "expected a valid config, got:\n" + string.Join("\n", result.Errors));
        return result.Config!;
    }

    /// <summary>The error messages (as printed), asserting the config is invalid.</summary>
    public static IReadOnlyList<string> Errors(string yaml, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = Load(yaml, environment);
        Assert.False(result.IsValid, "expected errors, the config loaded");
        return [.. result.Errors.Select(e => e.ToString())];
    }

    /// <summary>Asserts exactly one error, containing <paramref name="fragment"/>, at line:col; returns it.</summary>
    public static string SingleError(string yaml, string fragment, int line, int column)
    {
        var errors = Errors(yaml);
        var error = Assert.Single(errors);
        Assert.Contains(fragment, error);
        Assert.StartsWith($"{File}:{line}:{column}: ", error);
        return error;
    }
}
