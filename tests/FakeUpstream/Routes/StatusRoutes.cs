using System.Collections;
using FakeUpstream.Http;

namespace FakeUpstream.Routes;

/// <summary>/health, /v1/models and /env: what a supervisor and a router ask an upstream about itself.</summary>
internal static class StatusRoutes
{
    public static ValueTask HealthAsync(Exchange x, ServerState state)
    {
        if (!state.IsReady)
            return x.SendErrorAsync(503, "Loading model", "unavailable_error"); // llama-server's answer while loading
        var json = x.BeginJson();
        json.WriteStartObject();
        json.WriteString("status", "ok");
        json.WriteEndObject();
        return x.SendJsonAsync(200);
    }

    public static ValueTask ModelsAsync(Exchange x, ServerState state)
    {
        var json = x.BeginJson();
        json.WriteStartObject();
        json.WriteString("object", "list");
        json.WriteStartArray("data");
        json.WriteStartObject();
        json.WriteString("id", state.Options.Model);
        json.WriteString("object", "model");
        json.WriteNumber("created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        json.WriteString("owned_by", "fake");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        return x.SendJsonAsync(200);
    }

    /// <summary>The process's view of itself: pid, argv and environment (for tests of env, macros and leaks).</summary>
    public static ValueTask EnvAsync(Exchange x, ServerState state)
    {
        var json = x.BeginJson();
        json.WriteStartObject();
        json.WriteNumber("pid", Environment.ProcessId);
        if (state.GrandchildPid is { } grandchild)
            json.WriteNumber("grandchild_pid", grandchild);
        else
            json.WriteNull("grandchild_pid");
        json.WriteString("model", state.Options.Model);
        json.WriteNumber("port", state.Options.Port);
        json.WriteString("cwd", Environment.CurrentDirectory);
        json.WriteStartArray("argv");
        foreach (var arg in Environment.GetCommandLineArgs())
            json.WriteStringValue(arg);
        json.WriteEndArray();
        json.WriteStartObject("env");
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        foreach (var (name, value) in variables)
            json.WriteString(name, value);
        json.WriteEndObject();
        json.WriteEndObject();
        return x.SendJsonAsync(200);
    }
}
