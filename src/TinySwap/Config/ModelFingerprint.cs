using System.Buffers;
using System.Text;
using System.Text.Json;

namespace TinySwap.Config;

/// <summary>
/// Canonical text (compact JSON, fixed field order) of everything that shapes a model's running process: argv,
/// environment, stop command, where it listens and how it is probed, its hooks and the timeouts the supervisor uses.
/// Aliases, filters, metadata, ttl, priority and the like are left out: a reload changing only those keeps the process.
/// </summary>
internal static class ModelFingerprint
{
    public static string Of(ModelConfig model)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteStrings(json, "cmd", model.Command);
            WriteStrings(json, "cmdStop", model.StopCommand);
            json.WriteStartArray("env");
            foreach (var (name, value) in model.Environment)
                json.WriteStringValue(name + "=" + value);
            json.WriteEndArray();
            json.WriteString("proxy", model.Proxy.AbsoluteUri);
            if (model.Port is { } port)
                json.WriteNumber("port", port);
            json.WriteString("checkEndpoint", model.CheckEndpoint);
            json.WriteString("afterHealthy", model.Hooks.AfterHealthy);
            json.WriteString("beforeStop", model.Hooks.BeforeStop);
            json.WriteString("wake", model.Hooks.Wake);
            json.WriteString("sleep", model.Hooks.Sleep);
            json.WriteString("alive", model.Hooks.Alive);
            json.WriteNumber("hookTimeoutMs", model.HookTimeout.TotalMilliseconds);
            json.WriteNumber("aliveIntervalMs", model.AliveInterval.TotalMilliseconds);
            json.WriteNumber("unloadTimeoutMs", model.UnloadTimeout.TotalMilliseconds);
            json.WriteNumber("healthCheckTimeoutMs", model.HealthCheckTimeout.TotalMilliseconds);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
            json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
