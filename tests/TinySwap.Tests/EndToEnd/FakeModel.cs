using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>
/// A model served by dist/FakeUpstream on a port of its own (not ${PORT}: tests run side by side, and a fixed
/// startPort would make them collide). <see cref="Yaml"/> is its entry under `models:`; a `with` copy keeps the port,
/// so a reload test can change a model's flags and nothing else.
/// </summary>
internal sealed record FakeModel(string Id, string Flags = "", string Settings = "")
{
    public int Port { get; } = FreePort.Next();

    /// <summary>The entry, indented for `models:`; <see cref="Settings"/> are extra `key: value` lines for the model.</summary>
    public string Yaml
    {
        get
        {
            var lines = new List<string>
            {
                $"  {Id}:",
                $"    cmd: {RepoPaths.FakeUpstreamBinary} --port {Port} --model {Id} {Flags}".TrimEnd(),
                $"    proxy: http://127.0.0.1:{Port}",
            };
            lines.AddRange(Settings.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "    " + line.TrimEnd()));
            return string.Join('\n', lines) + "\n";
        }
    }

    /// <summary>A whole config: optional top-level lines, then these models.</summary>
    public static string Config(string topLevel, params FakeModel[] models) =>
        topLevel.TrimEnd() + "\nmodels:\n" + string.Concat(models.Select(m => m.Yaml));
}
