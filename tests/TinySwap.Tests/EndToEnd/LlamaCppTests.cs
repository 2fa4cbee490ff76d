using TinySwap.Tests.LlamaCpp;
using TinySwap.Tests.Support;

namespace TinySwap.Tests.EndToEnd;

/// <summary>
/// `llamacpp:` models end to end, with dist/FakeUpstream standing in for llama-server: `llamaServer:` points at a
/// script that records the argv it was given, then execs FakeUpstream on the port from that argv.
/// </summary>
public sealed class LlamaCppTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tinyswap-llamacpp-e2e-").FullName;
    private readonly string _gguf;
    private readonly string _server;

    public LlamaCppTests()
    {
        _gguf = Path.Combine(_dir, "tiny.gguf");
        File.WriteAllBytes(_gguf, GgufWriter.Llama(blocks: 4, layerBytes: 1 << 16, embedBytes: 1 << 15, outputBytes: 1 << 15).ToArray());
        _server = Path.Combine(_dir, "fake-llama-server");
        File.WriteAllText(_server, $"""
            #!/bin/sh
            args="$*"
            port=; alias=; slots=
            while [ $# -gt 0 ]; do
              case "$1" in
                --port) port=$2 ;;
                --alias) alias=$2 ;;
                --slot-save-path) slots="--slot-dir {_dir}/slots" ;;
              esac
              shift
            done
            printf '%s\n' "$args" > "{_dir}/argv-$alias"
            exec {RepoPaths.FakeUpstreamBinary} --port "$port" --model "$alias" $slots

            """);
        if (OperatingSystem.IsLinux())
            File.SetUnixFileMode(_server, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Argv(string model) => File.ReadAllText(Path.Combine(_dir, "argv-" + model)).TrimEnd('\n');

    [Fact]
    public async Task TypedLaunch_ServerGetsLlamaServerFlags_AndModelsListShowsTheFacts()
    {
        var port = FreePort.Block(3);
        await using var tinyswap = await TinySwapServer.StartAsync($"""
            startPort: {port}
            llamaServer: {_server}
            models:
              qwen:
                llamacpp:
                  model: {_gguf}
                  ctx: 2048
                  gpuLayers: 99
                  jinja: true
                  reasoningFormat: deepseek
                  parallel: 2
                  flashAttn: auto
                  cacheTypeK: q8_0
                  sampling: {"{"}temperature: 0.6, topP: 0.95{"}"}
                  extraArgs: [--threads, "2"]
            """);

        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "qwen", servedBy: "qwen");

        Assert.Equal(
            $"-m {_gguf} --host 127.0.0.1 --port {port} --alias qwen -c 2048 -ngl 99 --jinja --reasoning-format deepseek -np 2 -fa auto -ctk q8_0 --temp 0.6 --top-p 0.95 --threads 2",
            Argv("qwen"));
        var models = await RawHttp.GetAsync(tinyswap.Port, "/v1/models");
        var facts = models.Json().GetProperty("data")[0].GetProperty("meta").GetProperty("llamaswap").GetProperty("llamacpp");
        Assert.Equal("llama", facts.GetProperty("architecture").GetString());
        Assert.Equal(2048, facts.GetProperty("ctx").GetInt64());
    }

    [Fact]
    public async Task ResourcesAuto_EvictsByEstimate_SmallModelStaysAlongside()
    {
        // Two "big" models each estimated at ~60% of this machine's budget (the KV cache grows with ctx: 16 KiB a
        // token for this file), and a small one: a and c fit together, b does not fit with a.
        var memTotalMiB = long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        var budgetMiB = memTotalMiB - Math.Max(1024, memTotalMiB / 10);
        var bigCtx = budgetMiB * 6 / 10 * 1024 / 18 / 256 * 256;
        var port = FreePort.Block(3);
        await using var tinyswap = await TinySwapServer.StartAsync($"""
            startPort: {port}
            llamaServer: {_server}
            resources: auto
            models:
              a:
                llamacpp: {"{"}model: {_gguf}, ctx: {bigCtx}{"}"}
              b:
                llamacpp: {"{"}model: {_gguf}, ctx: {bigCtx}{"}"}
              c:
                llamacpp: {"{"}model: {_gguf}, ctx: 2048{"}"}
            """);

        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");
        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "c", servedBy: "c");
        Assert.Equal(["a", "c"], (await TinySwapApi.RunningAsync(tinyswap.Port)).Select(r => r.Model).Order());

        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "b", servedBy: "b");

        var running = await TinySwapApi.PollRunningAsync(tinyswap.Port, r => r.Count == 2);
        Assert.Equal(["b", "c"], running.Select(r => r.Model).Order());
        Assert.Contains($"-c {bigCtx}", Argv("b"));
    }

    [Fact]
    public async Task Slots_SavedBeforeStop_RestoredOnTheNextStart()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "slots"));
        await using var tinyswap = await TinySwapServer.StartAsync($"""
            startPort: {FreePort.Block(3)}
            llamaServer: {_server}
            models:
              a:
                llamacpp: {"{"}model: {_gguf}, parallel: 2{"}"}
                slots: {"{"}restoreOnStart: true, saveOnStop: true{"}"}
            """);

        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");
        await tinyswap.WaitForLogAsync("[a] slot 1 restore:");
        var unload = await RawHttp.SendAsync(tinyswap.Port, "POST", "/api/models/unload/a");
        Assert.True(unload.Status == 200, unload.ToString());
        await tinyswap.WaitForLogAsync("[a] slot 1 save: done");

        Assert.Contains("fake slot 0 of model a saved", File.ReadAllText(Path.Combine(_dir, "slots", "slot-0.bin")));
        Assert.True(File.Exists(Path.Combine(_dir, "slots", "slot-1.bin")));
        Assert.Contains("--slot-save-path /var/lib/tinyswap/slots/a", Argv("a"));

        await TinySwapApi.CompleteOkAsync(tinyswap.Port, "a", servedBy: "a");
        await tinyswap.WaitForLogAsync("[a] slot 1 restore: done");
        Assert.Single(tinyswap.LogLines("[a] slot 0 restore: done"));
    }
}
