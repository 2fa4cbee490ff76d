using System.Collections;
using System.Globalization;
using TinySwap.Config;
using TinySwap.Http.Transport;

namespace TinySwap.Supervisor;

/// <summary>The environment a model's server or hook gets: ours, then the model's `env`, then our variables.</summary>
internal static class ChildEnvironment
{
    public static Dictionary<string, string> For(ModelConfig model, string? hook = null, int? pid = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            env[(string)entry.Key] = (string?)entry.Value ?? "";
        InlineSocketCompletions.RemoveFrom(env);
        foreach (var (key, value) in model.Environment)
            env[key] = value;
        env["TINYSWAP_MODEL"] = model.Id;
        if (PortOf(model) is { } port)
            env["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        if (hook is not null)
            env["TINYSWAP_HOOK"] = hook;
        if (pid is not null)
            env["PID"] = pid.Value.ToString(CultureInfo.InvariantCulture);
        return env;
    }

    public static string[] ToEntries(Dictionary<string, string> env)
    {
        var entries = new string[env.Count];
        var i = 0;
        foreach (var (key, value) in env)
            entries[i++] = key + "=" + value;
        return entries;
    }

    /// <summary>${PORT} when allocated, else the port of `proxy` (where we probe and forward).</summary>
    public static int? PortOf(ModelConfig model) => model.Port ?? (model.Proxy.Port > 0 ? model.Proxy.Port : null);
}
