using System.Reflection;

namespace TinySwap.Cli;

/// <summary>The version the build stamped (csproj &lt;Version&gt;, plus the commit when built from git).</summary>
internal static class BuildVersion
{
    public static string Value { get; } =
        typeof(BuildVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
