using TinySwap.Config;

namespace TinySwap.Tests.Config;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void Load_MinimalModel_AppliesLlamaSwapDefaults()
    {
        var config = ConfigText.Valid("""
            models:
              llama:
                cmd: llama-server --port ${PORT} -m /models/llama.gguf
            """);

        var model = Assert.Single(config.Models);
        Assert.Equal("/abs/test.yaml", config.SourcePath);
        Assert.Equal(["127.0.0.1:8080"], config.Listen.ToArray());
        Assert.Equal(["llama-server", "--port", "5800", "-m", "/models/llama.gguf"], model.Command.ToArray());
        Assert.Equal(5800, model.Port);
        Assert.Equal(new Uri("http://127.0.0.1:5800"), model.Proxy);
        Assert.Equal("/health", model.CheckEndpoint);
        Assert.Equal(TimeSpan.Zero, model.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(10), model.UnloadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), model.HealthCheckTimeout);
        Assert.True(model.StopCommand.IsEmpty);
        Assert.Equal(SwapPolicy.Groups, config.Policy);
        var group = Assert.Single(config.Groups);
        Assert.Equal(GroupConfig.DefaultId, group.Id);
        Assert.True(group.Swap && group.Exclusive && !group.Persistent);
        Assert.Equal(["llama"], group.Members.ToArray());
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Load_Ports_AllocatedInSortedIdOrderOnlyToModelsWhoseCmdUsesThem()
    {
        var config = ConfigText.Valid("""
            startPort: 9000
            models:
              zeta:
                cmd: server --port ${PORT}
              alpha:
                cmd: server --port ${PORT}
                cmdStop: stop-server --port ${PORT} --pid ${PID}
                proxy: http://127.0.0.1:${PORT}/v1-prefix
              fixed:
                cmd: server --port 7000
                proxy: http://127.0.0.1:7000
            """);

        Assert.Equal(["alpha", "fixed", "zeta"], config.Models.Select(m => m.Id).ToArray());
        var alpha = config.FindModel("alpha")!;
        Assert.Equal(9000, alpha.Port);
        Assert.Equal(["stop-server", "--port", "9000", "--pid", "${PID}"], alpha.StopCommand.ToArray());
        Assert.Equal(new Uri("http://127.0.0.1:9000/v1-prefix"), alpha.Proxy);
        Assert.Null(config.FindModel("fixed")!.Port);
        Assert.Equal(9001, config.FindModel("zeta")!.Port);
    }

    [Fact]
    public void Load_Ttl_MinusOneMeansGlobalZeroMeansNever()
    {
        var config = ConfigText.Valid("""
            globalTTL: 600
            models:
              inherits: { cmd: "a --port ${PORT}" }
              explicit: { cmd: "a --port ${PORT}", ttl: 60 }
              minusOne: { cmd: "a --port ${PORT}", ttl: -1 }
              never: { cmd: "a --port ${PORT}", ttl: 0 }
            """);

        Assert.Equal(TimeSpan.FromSeconds(600), config.FindModel("inherits")!.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(60), config.FindModel("explicit")!.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(600), config.FindModel("minusOne")!.Ttl);
        Assert.Equal(TimeSpan.Zero, config.FindModel("never")!.Ttl);
    }

    [Fact]
    public void Load_ModelSettings_AreMapped()
    {
        var config = ConfigText.Valid("""
            unloadTimeout: 20
            healthCheckTimeout: 30
            sendLoadingState: true
            models:
              chat:
                cmd: server --port ${PORT}
                checkEndpoint: none
                env:
                  - "CUDA_VISIBLE_DEVICES=0,1"
                  - EMPTY=
                  - WITH_EQUALS=a=b
                useModelName: org/Chat-7B
                unlisted: true
                name: Chat ${MODEL_ID}
                description: port ${PORT}
                concurrencyLimit: 4
                sendLoadingState: false
                unloadTimeout: 0
                priority: -3
                minActive: 2.5
                hookTimeout: 5
                aliveInterval: 0.5
                afterHealthy: echo ready ${PORT} $HOME ${HOME}
                beforeStop: echo bye
                wake: curl -X POST http://127.0.0.1:${PORT}/wake_up
                sleep: curl -X POST http://127.0.0.1:${PORT}/sleep
                alive: test -e /tmp/ok
              other:
                cmd: server --port ${PORT}
                unloadTimeout: 3
            """);

        var chat = config.FindModel("chat")!;
        Assert.Null(chat.CheckEndpoint);
        Assert.Equal([new("CUDA_VISIBLE_DEVICES", "0,1"), new("EMPTY", ""), new KeyValuePair<string, string>("WITH_EQUALS", "a=b")], chat.Environment.ToArray());
        Assert.Equal("org/Chat-7B", chat.UseModelName);
        Assert.True(chat.Unlisted);
        Assert.Equal("Chat chat", chat.Name);
        Assert.Equal("port 5800", chat.Description);
        Assert.Equal(4, chat.ConcurrencyLimit);
        Assert.False(chat.SendLoadingState);
        Assert.True(config.FindModel("other")!.SendLoadingState);
        Assert.Equal(TimeSpan.FromSeconds(20), chat.UnloadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), config.FindModel("other")!.UnloadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), chat.HealthCheckTimeout);
        Assert.Equal(-3, chat.Priority);
        Assert.Equal(TimeSpan.FromSeconds(2.5), chat.MinActive);
        Assert.Equal(TimeSpan.FromSeconds(5), chat.HookTimeout);
        Assert.Equal(TimeSpan.FromSeconds(0.5), chat.AliveInterval);
        Assert.Equal("echo ready 5800 $HOME ${HOME}", chat.Hooks.AfterHealthy);
        Assert.Equal("echo bye", chat.Hooks.BeforeStop);
        Assert.Equal("curl -X POST http://127.0.0.1:5800/wake_up", chat.Hooks.Wake);
        Assert.True(chat.Hooks.CanSleep);
        Assert.Equal("test -e /tmp/ok", chat.Hooks.Alive);
    }

    [Fact]
    public void Load_ModelWithoutCmd_IsExternallyManagedThroughWakeAndSleep()
    {
        var config = ConfigText.Valid("""
            models:
              vllm:
                proxy: http://10.0.0.5:8000
                wake: curl -X POST http://10.0.0.5:8000/wake_up
                sleep: curl -X POST http://10.0.0.5:8000/sleep?level=1
            """);

        var model = config.FindModel("vllm")!;
        Assert.True(model.IsExternallyManaged);
        Assert.Null(model.Port);
        Assert.Equal(new Uri("http://10.0.0.5:8000"), model.Proxy);
    }

    [Fact]
    public void Load_Aliases_StringsAndMappingsResolveToTheModel()
    {
        var config = ConfigText.Valid("""
            models:
              qwen:
                cmd: server --port ${PORT}
                aliases:
                  - gpt-4o-mini
                  - id: ${MODEL_ID}:fast
                    name: Fast
            """);

        var qwen = config.FindModel("qwen")!;
        Assert.Equal(["gpt-4o-mini", "qwen:fast"], qwen.Aliases.ToArray());
        Assert.Same(qwen, config.FindModel("gpt-4o-mini"));
        Assert.Same(qwen, config.FindModel("qwen:fast"));
        Assert.Null(config.FindModel("nope"));
        Assert.Equal("Fast", qwen.ListedNameOf("qwen:fast"));
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Load_Filters_StripParamsSortedWithoutModelAndSetParamsAsJson()
    {
        var result = ConfigText.Load("""
            models:
              m:
                cmd: server --port ${PORT}
                filters:
                  stripParams: "top_p, model, temperature,, top_p"
                  setParams:
                    temperature: 0.7
                    max_tokens: 512
                    stream: true
                    stop: ["</s>", "\n\n"]
                    quoted: "42"
                    nothing: ~
                    nested: { a: [1, 2.5, yes], "b": 'x' }
                    model: forbidden
              listed:
                cmd: server --port ${PORT}
                filters:
                  strip_params: "a"
              asList:
                cmd: server --port ${PORT}
                filters:
                  stripParams: [b, a]
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var m = result.Config!.FindModel("m")!;
        Assert.Equal(["temperature", "top_p"], m.StripParams.ToArray());
        Assert.Equal(
            [
                new("temperature", "0.7"), new("max_tokens", "512"), new("stream", "true"), new("stop", "[\"\\u003C/s\\u003E\",\"\\n\\n\"]"),
                new("quoted", "\"42\""), new("nothing", "null"), new KeyValuePair<string, string>("nested", "{\"a\":[1,2.5,\"yes\"],\"b\":\"x\"}"),
            ],
            m.SetParams.ToArray());
        Assert.Contains(result.Warnings, w => w.Message.Contains("'model' is never stripped"));
        Assert.Contains(result.Warnings, w => w.Message.Contains("'model' cannot be set"));
        Assert.Equal(["a"], result.Config.FindModel("listed")!.StripParams.ToArray());
        Assert.Equal(["a", "b"], result.Config.FindModel("asList")!.StripParams.ToArray());
    }

    [Fact]
    public void Load_TopLevelSettings_AreMapped()
    {
        var config = ConfigText.Valid("""
            listen: [":9090", "[::1]:9091", "localhost:9092"]
            logLevel: debug
            queueTimeout: 30
            drainTimeout: 5
            countSleeping: true
            includeAliasesInList: true
            apiKeys: [sk-one, sk-two]
            limits:
              maxRequestLineKB: 4
              maxHeaderKB: 16
              maxHeaderCount: 50
              maxBodyMB: 1.5
              headersTimeout: 10
              keepAliveTimeout: 60
              minBodyBytesPerSecond: 100
              minBodyRateGrace: 2
              maxConnections: 64
            models:
              a: { cmd: "server --port ${PORT}" }
            """);

        Assert.Equal([":9090", "[::1]:9091", "localhost:9092"], config.Listen.ToArray());
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, config.LogLevel);
        Assert.Equal(TimeSpan.FromSeconds(30), config.QueueTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), config.DrainTimeout);
        Assert.True(config.CountSleeping);
        Assert.True(config.IncludeAliasesInList);
        Assert.Equal(["sk-one", "sk-two"], config.ApiKeys.ToArray());
        Assert.Equal(new HttpLimits
        {
            MaxRequestLineBytes = 4096,
            MaxHeaderBytes = 16384,
            MaxHeaderCount = 50,
            MaxBodyBytes = 1572864,
            HeadersTimeout = TimeSpan.FromSeconds(10),
            KeepAliveTimeout = TimeSpan.FromSeconds(60),
            MinBodyBytesPerSecond = 100,
            MinBodyRateGrace = TimeSpan.FromSeconds(2),
            MaxConnections = 64,
        }, config.Limits);
    }

    [Fact]
    public void Load_ResourcesPolicy_KeepsBudgetsAndNeeds()
    {
        var config = ConfigText.Valid("""
            resources: { vram_mb: 24000, ram_mb: 32000 }
            models:
              big: { cmd: "s --port ${PORT}", resources: { vram_mb: 20000 } }
              small: { cmd: "s --port ${PORT}", resources: { vram_mb: 4000, ram_mb: 1000 } }
            """);

        Assert.Equal(SwapPolicy.Resources, config.Policy);
        Assert.Equal(24000, config.Resources["vram_mb"]);
        Assert.Equal(1000, config.FindModel("small")!.Resources["ram_mb"]);
    }

    [Fact]
    public void Load_MaxRunningPolicy()
    {
        var config = ConfigText.Valid("""
            maxRunning: 2
            models:
              a: { cmd: "s --port ${PORT}" }
            """);

        Assert.Equal(SwapPolicy.MaxRunning, config.Policy);
        Assert.Equal(2, config.MaxRunning);
    }

    [Fact]
    public void Load_GroupsAndPreload_ResolveAliasesAndCollectUngroupedModels()
    {
        var config = ConfigText.Valid("""
            models:
              a: { cmd: "s --port ${PORT}", aliases: [first] }
              b: { cmd: "s --port ${PORT}" }
              c: { cmd: "s --port ${PORT}" }
            groups:
              pair:
                swap: false
                exclusive: false
                persistent: true
                members: [b, a]
            hooks:
              on_startup:
                preload: [first, c, " "]
            """);

        Assert.Equal(["pair", GroupConfig.DefaultId], config.Groups.Select(g => g.Id).ToArray());
        var pair = config.Groups[0];
        Assert.False(pair.Swap);
        Assert.False(pair.Exclusive);
        Assert.True(pair.Persistent);
        Assert.Equal(["b", "a"], pair.Members.ToArray());
        Assert.Equal(["c"], config.Groups[1].Members.ToArray());
        Assert.Equal(["a", "c"], config.Preload.ToArray());
    }

    [Fact]
    public void Load_AnchorsAndMergeKeys_ShareSettings()
    {
        var config = ConfigText.Valid("""
            x-defaults: &defaults
              ttl: 300
              env: [A=1]
            models:
              a:
                <<: *defaults
                cmd: s --port ${PORT}
              b:
                <<: *defaults
                ttl: 5
                cmd: s --port ${PORT}
            """);

        Assert.Equal(TimeSpan.FromSeconds(300), config.FindModel("a")!.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(5), config.FindModel("b")!.Ttl);
        Assert.Equal([new KeyValuePair<string, string>("A", "1")], config.FindModel("b")!.Environment.ToArray());
    }

    [Fact]
    public void Load_Peers_AreMapped()
    {
        var config = ConfigText.Valid("""
            macros:
              key: sk-peer
            peers:
              box:
                proxy: http://192.168.1.23:8080
                apiKey: ${key}
                models: [remote-a, remote-b]
                filters:
                  stripParams: top_k
                  setParams: { provider: { zdr: true } }
            models:
              a: { cmd: "s --port ${PORT}" }
            """);

        var peer = Assert.Single(config.Peers);
        Assert.Equal(new Uri("http://192.168.1.23:8080"), peer.Proxy);
        Assert.Equal("sk-peer", peer.ApiKey);
        Assert.Equal(["remote-a", "remote-b"], peer.Models.ToArray());
        Assert.Equal(["top_k"], peer.StripParams.ToArray());
        Assert.Equal([new KeyValuePair<string, string>("provider", "{\"zdr\":true}")], peer.SetParams.ToArray());
    }

    [Fact]
    public void Load_File_ReadsFromDiskAndReportsAMissingFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tinyswap-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "models:\n  a:\n    cmd: s --port ${PORT}\n");
        try
        {
            var result = ConfigLoader.Load(path);
            Assert.True(result.IsValid);
            Assert.Equal(path, result.Config!.SourcePath);
        }
        finally
        {
            File.Delete(path);
        }

        var missing = ConfigLoader.Load(path);
        var error = Assert.Single(missing.Errors);
        Assert.StartsWith(path + ": cannot read the config", error.ToString());
    }
}
