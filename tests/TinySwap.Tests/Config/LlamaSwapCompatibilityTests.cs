namespace TinySwap.Tests.Config;

/// <summary>A config written for llama-swap (modelled on its config.example.yaml) loads unchanged.</summary>
public sealed class LlamaSwapCompatibilityTests
{
    private const string LlamaSwapConfig = """
        # yaml-language-server: $schema=https://raw.githubusercontent.com/mostlygeek/llama-swap/refs/heads/main/config-schema.json
        healthCheckTimeout: 500
        logLevel: info
        logTimeFormat: ""
        logToStdout: "proxy"
        metricsMaxInMemory: 1000
        captureBuffer: 15
        startPort: 10001
        sendLoadingState: true
        includeAliasesInList: false
        globalTTL: 0
        unloadTimeout: 10

        macros:
          "latest-llama": >
            /path/to/llama-server/llama-server-ec9e0301
            --port ${PORT}
          "default_ctx": 4096
          "default_args": "--ctx-size ${default_ctx}"
          "models_dir": "${env.HOME}/models"

        apiKeys:
          - "sk-hunter2"
          - "${env.API_KEY_1}"

        models:
          "gpt-oss-120b":
            macros:
              "default_ctx": 16384
              "temp": 0.7
            cmd: |
              # ${latest-llama} is a macro that is defined above
              ${latest-llama}
              --model path/to/gpt-oss-120B.gguf
              ${default_args}
              --temperature ${temp}
            name: "gpt-oss 120B"
            description: "A thinking model from OpenAI"
            env:
              - "CUDA_VISIBLE_DEVICES=0,1,2"
            proxy: http://127.0.0.1:${PORT}
            checkEndpoint: /custom-endpoint
            ttl: 60
            unloadTimeout: 10
            useModelName: "openai/gpt-oss-120B"
            filters:
              stripParams: "temperature, top_p, top_k"
              setParams:
                temperature: 0.7
                top_p: 0.9
              setParamsByID:
                "${MODEL_ID}:high":
                  chat_template_kwargs:
                    reasoning_effort: high
            aliases:
              - "gpt-4o-mini"
            metadata:
              port: ${PORT}
              temperature: ${temp}
              note: "The ${MODEL_ID} is running on port ${PORT} temp=${temp}, context=${default_ctx}"
              a_list:
                - 1
                - 1.23
                - "macros are OK in list and dictionary types: ${MODEL_ID}"
              an_obj:
                a: "1"
                b: 2
                c: ["${temp}", false, "model: ${MODEL_ID}"]
            concurrencyLimit: 0
            sendLoadingState: false
            timeouts:
              connect: 30
              responseHeader: 60

          "qwen-unlisted":
            unlisted: true
            cmd: llama-server --port ${PORT} -m Llama-3.2-1B-Instruct-Q4_K_M.gguf -ngl 0

          "docker-llama":
            proxy: "http://127.0.0.1:${PORT}"
            cmd: |
              docker run --name ${MODEL_ID}
              --init --rm -p ${PORT}:8080 -v /mnt/nvme/models:/models
              ghcr.io/ggml-org/llama.cpp:server
              --model '/models/Qwen2.5-Coder-0.5B-Instruct-Q4_K_M.gguf'
            cmdStop: docker stop ${MODEL_ID}

          "Q3-30B-CODER-VLLM":
            name: "Qwen3 30B Coder vllm AWQ"
            cmdStop: docker stop vllm-coder
            cmd: |
              docker run --init --rm --name vllm-coder
                --runtime=nvidia --gpus '"device=2,3"'
                -v /mnt/ssd-extra/models:/models -p ${PORT}:8000
                vllm/vllm-openai:v0.10.0
                --model "/models/cpatonn/Qwen3-Coder-30B-A3B-Instruct-AWQ"
                --served-model-name "Q3-30B-CODER-VLLM"
                --gpu-memory-utilization 0.9

          "embedding":
            cmd: >
              llama-server --port ${PORT} -m ${models_dir}/nomic.gguf
              --embeddings --pooling mean
            filters:
              strip_params: "temperature"

        groups:
          "coding":
            swap: true
            exclusive: true
            members: ["gpt-oss-120b", "Q3-30B-CODER-VLLM"]
          "forever":
            persistent: true
            swap: false
            exclusive: false
            members: ["embedding"]

        hooks:
          on_startup:
            preload:
              - "embedding"

        peers:
          llama-swap-peer:
            proxy: http://192.168.1.23
            models:
              - model_a
              - embeddings/model_c
            timeouts:
              connect: 30

        profiles:
          "coding":
            description: "Coding-focused model routing"
            pins:
              "llm-code": "gpt-oss-120b"
        """;

    private static readonly Dictionary<string, string> Environment = new() { ["HOME"] = "/home/ai", ["API_KEY_1"] = "sk-from-env" };

    [Fact]
    public void LlamaSwapConfig_LoadsWithOnlyNotImplementedWarnings()
    {
        var result = ConfigText.Load(LlamaSwapConfig, Environment);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.All(result.Warnings, w => Assert.Contains("llama-swap setting accepted but not implemented by tinyswap yet", w.Message));
        Assert.Equal(
        [
            "logTimeFormat", "logToStdout",
            "models.gpt-oss-120b.timeouts",
        ], result.Warnings.Select(w => w.Message[..w.Message.IndexOf(':')]).ToArray());
        Assert.Equal(15, result.Config!.CaptureBufferMB);
    }

    [Fact]
    public void LlamaSwapConfig_MapsLikeLlamaSwapDoes()
    {
        var config = ConfigText.Valid(LlamaSwapConfig, Environment);

        Assert.Equal(["Q3-30B-CODER-VLLM", "docker-llama", "embedding", "gpt-oss-120b", "qwen-unlisted"], config.Models.Select(m => m.Id).ToArray());
        // Ports in sorted id order from startPort, as llama-swap allocates them.
        Assert.Equal([10001, 10002, 10003, 10004, 10005], config.Models.Select(m => m.Port ?? 0).ToArray());

        var gpt = config.FindModel("gpt-4o-mini")!;
        Assert.Equal("gpt-oss-120b", gpt.Id);
        Assert.Same(gpt, config.FindModel("gpt-oss-120b:high"));
        Assert.Equal(["gpt-4o-mini", "gpt-oss-120b:high"], gpt.Aliases.ToArray());
        Assert.Equal("""{"reasoning_effort":"high"}""", Assert.Single(gpt.ParamsFor("gpt-oss-120b:high")!.SetParams).Value);
        var coding = Assert.Single(config.Profiles);
        Assert.Equal(("coding", "Coding-focused model routing"), (coding.Name, coding.Description));
        Assert.Equal([new KeyValuePair<string, string?>("llm-code", "gpt-oss-120b")], coding.Pins.ToArray());
        Assert.Equal(
            ["/path/to/llama-server/llama-server-ec9e0301", "--port", "10004", "--model", "path/to/gpt-oss-120B.gguf", "--ctx-size", "16384", "--temperature", "0.7"],
            gpt.Command.ToArray());
        Assert.Equal(new Uri("http://127.0.0.1:10004"), gpt.Proxy);
        Assert.Equal("/custom-endpoint", gpt.CheckEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(60), gpt.Ttl);
        Assert.Equal(["temperature", "top_k", "top_p"], gpt.StripParams.ToArray());
        Assert.False(gpt.SendLoadingState);
        Assert.Equal(TimeSpan.FromSeconds(500), gpt.HealthCheckTimeout);
        Assert.Equal(
            """{"port":10004,"temperature":0.7,"note":"The gpt-oss-120b is running on port 10004 temp=0.7, context=16384","a_list":[1,1.23,"macros are OK in list and dictionary types: gpt-oss-120b"],"an_obj":{"a":"1","b":2,"c":[0.7,false,"model: gpt-oss-120b"]}}""",
            gpt.MetadataJson);

        var docker = config.FindModel("docker-llama")!;
        Assert.Equal(["docker", "stop", "docker-llama"], docker.StopCommand.ToArray());
        Assert.Contains("/models/Qwen2.5-Coder-0.5B-Instruct-Q4_K_M.gguf", docker.Command);

        var vllm = config.FindModel("Q3-30B-CODER-VLLM")!;
        Assert.Contains("\"device=2,3\"", vllm.Command);
        Assert.Contains("/models/cpatonn/Qwen3-Coder-30B-A3B-Instruct-AWQ", vllm.Command);

        var embedding = config.FindModel("embedding")!;
        Assert.Equal(["llama-server", "--port", "10003", "-m", "/home/ai/models/nomic.gguf", "--embeddings", "--pooling", "mean"], embedding.Command.ToArray());
        Assert.Equal(["temperature"], embedding.StripParams.ToArray());
        Assert.True(embedding.SendLoadingState);

        Assert.Equal(["sk-hunter2", "sk-from-env"], config.ApiKeys.ToArray());
        Assert.Equal(["embedding"], config.Preload.ToArray());
        Assert.Equal(["coding", "forever", "(default)"], config.Groups.Select(g => g.Id).ToArray());
        Assert.Equal(["docker-llama", "qwen-unlisted"], config.Groups[2].Members.ToArray());
        Assert.Equal(["model_a", "embeddings/model_c"], Assert.Single(config.Peers).Models.ToArray());
    }

    [Fact]
    public void LlamaSwapConfig_UnsetEnvironmentVariable_StopsTheLoad()
    {
        var errors = ConfigText.Errors(LlamaSwapConfig, new Dictionary<string, string> { ["HOME"] = "/home/ai" });
        var error = Assert.Single(errors);
        Assert.Contains("apiKeys[1]: environment variable 'API_KEY_1' is not set", error);
    }
}
