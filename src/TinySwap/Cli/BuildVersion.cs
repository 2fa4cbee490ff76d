using System.Reflection;

namespace TinySwap.Cli;

/// <summary>The version the build stamped (csproj &lt;Version&gt;, plus the commit when built from git).</summary>
internal static class BuildVersion
{
    public static string Value { get; } = Shorten(
        typeof(BuildVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");

    // "0.1.0+<40-hex commit>" → "0.1.0+<7-hex commit>", as git prints it.
    private static string Shorten(string version)
    {
        var plus = version.IndexOf('+');
        return plus >= 0 && version.Length - plus - 1 > 7 ? version[..(plus + 8)] : version;
    }
}
