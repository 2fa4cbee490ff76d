using System.Text.Json;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>One entry of GET /running.</summary>
internal sealed record RunningModel(string Model, string State, int? Pid, int InFlight);

/// <summary>Requests the end-to-end tests make over and over: a completion, /running, load and unload.</summary>
internal static class TinySwapApi
{
    public static Task<RawHttpResponse> CompleteAsync(int port, string model, string extraJson = "") =>
        RawHttp.PostJsonAsync(port, "/v1/chat/completions",
            $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]{{extraJson}}}""");

    /// <summary>A completion that must succeed, served by the model's own upstream.</summary>
    public static async Task<JsonElement> CompleteOkAsync(int port, string model, string servedBy)
    {
        var response = await CompleteAsync(port, model);
        Assert.True(response.Status == 200, response.ToString());
        var json = response.Json();
        Assert.Equal(servedBy, json.GetProperty("served_by").GetString());
        return json;
    }

    public static async Task<List<RunningModel>> RunningAsync(int port)
    {
        var response = await RawHttp.GetAsync(port, "/running");
        Assert.True(response.Status == 200, response.ToString());
        return response.Json().GetProperty("running").EnumerateArray().Select(e => new RunningModel(
            e.GetProperty("model").GetString()!,
            e.GetProperty("state").GetString()!,
            e.GetProperty("pid").ValueKind == JsonValueKind.Number ? e.GetProperty("pid").GetInt32() : null,
            e.GetProperty("inFlight").GetInt32())).ToList();
    }

    /// <summary>The pid of a model that /running lists as ready; fails if it is not.</summary>
    public static async Task<int> ReadyPidAsync(int port, string model)
    {
        var running = await RunningAsync(port);
        var entry = running.SingleOrDefault(r => r.Model == model);
        Assert.True(entry is { State: "ready", Pid: not null }, $"{model} is not ready: {string.Join(", ", running)}");
        return entry!.Pid!.Value;
    }

    public static async Task LoadAsync(int port, string model)
    {
        var response = await RawHttp.SendAsync(port, "POST", "/api/models/load/" + model);
        Assert.True(response.Status == 200, response.ToString());
    }

    /// <summary>Polls /running until <paramref name="done"/> holds; returns the last snapshot (the caller asserts on it).</summary>
    public static async Task<List<RunningModel>> PollRunningAsync(int port, Func<List<RunningModel>, bool> done)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var running = await RunningAsync(port);
            if (done(running) || waited.Elapsed > TinySwapServer.Generous)
                return running;
            await Task.Delay(10);
        }
    }
}
