namespace TinySwap.Tests.Config;

public sealed class MacroTests
{
    [Fact]
    public void Macros_GlobalAndModelLevel_ModelOverridesAndGlobalsBuiltOnItFollow()
    {
        var config = ConfigText.Valid("""
            macros:
              server: /opt/llama-server --port ${PORT}
              ctx: 4096
              args: --ctx-size ${ctx}
            models:
              small:
                cmd: ${server} ${args}
              big:
                macros:
                  ctx: 32768
                  extra: --model ${MODEL_ID}.gguf ${args}
                cmd: ${server} ${extra}
            """);

        Assert.Equal(["/opt/llama-server", "--port", "5801", "--ctx-size", "4096"], config.FindModel("small")!.Command.ToArray());
        Assert.Equal(["/opt/llama-server", "--port", "5800", "--model", "big.gguf", "--ctx-size", "32768"], config.FindModel("big")!.Command.ToArray());
    }

    [Fact]
    public void Macros_ValueWithSpaces_SplitsIntoSeveralArguments_QuotedStaysOne()
    {
        var config = ConfigText.Valid("""
            macros:
              flags: --jinja --flash-attn on
              prompt: You are helpful
            models:
              m:
                cmd: |
                  server --port ${PORT} ${flags}
                  --system-prompt "${prompt}"
            """);

        Assert.Equal(["server", "--port", "5800", "--jinja", "--flash-attn", "on", "--system-prompt", "You are helpful"],
            config.FindModel("m")!.Command.ToArray());
    }

    [Fact]
    public void Macros_MultiLineFoldedMacro_LikeLlamaSwapsExample()
    {
        var config = ConfigText.Valid("""
            macros:
              "latest-llama": >
                /path/to/llama-server/llama-server-ec9e0301
                --port ${PORT}
            models:
              m:
                cmd: |
                  # ${latest-llama} is a macro that is defined above
                  ${latest-llama}
                  --model path/to/model.gguf
            """);

        Assert.Equal(["/path/to/llama-server/llama-server-ec9e0301", "--port", "5800", "--model", "path/to/model.gguf"],
            config.FindModel("m")!.Command.ToArray());
    }

    [Fact]
    public void Macros_EnvironmentVariables_ExpandEverywhere()
    {
        var env = new Dictionary<string, string> { ["MODELS"] = "/srv/models", ["BASE"] = "7000", ["KEY"] = "sk-secret", ["NUM"] = "42" };
        var config = ConfigText.Valid("""
            startPort: ${env.BASE}
            apiKeys: ["${env.KEY}"]
            macros:
              dir: ${env.MODELS}
            models:
              m:
                cmd: server --port ${PORT} -m ${dir}/m.gguf --home ${env.MODELS}
                env: ["MODEL_DIR=${env.MODELS}"]
                metadata:
                  typed: ${env.NUM}
                  quoted: "${env.NUM}"
            """, env);

        var m = config.FindModel("m")!;
        Assert.Equal(["server", "--port", "7000", "-m", "/srv/models/m.gguf", "--home", "/srv/models"], m.Command.ToArray());
        Assert.Equal(["sk-secret"], config.ApiKeys.ToArray());
        Assert.Equal("/srv/models", m.Environment[0].Value);
        Assert.Equal("""{"typed":42,"quoted":"42"}""", m.MetadataJson);
    }

    [Fact]
    public void Macros_UnsetEnvironmentVariable_IsAnError()
    {
        ConfigText.SingleError("""
            models:
              m:
                cmd: server --port ${PORT} -m ${env.NOPE_NOT_SET}
            """, "environment variable 'NOPE_NOT_SET' is not set", 3, 10);
    }

    [Fact]
    public void Macros_UnsetEnvironmentVariableInANumber_IsOneError()
    {
        ConfigText.SingleError("""
            startPort: ${env.NOPE_NOT_SET}
            models:
              m: { cmd: "server --port ${PORT}" }
            """, "startPort: environment variable 'NOPE_NOT_SET' is not set", 1, 12);
    }

    [Fact]
    public void Macros_ExactReference_KeepsTheMacrosTypeInMetadataAndSetParams()
    {
        var config = ConfigText.Valid("""
            macros:
              temp: 0.7
              ctx: 0x1000
              think: false
              label: "123"
              copy: ${temp}
            models:
              m:
                cmd: server --port ${PORT}
                filters:
                  setParams:
                    temperature: ${temp}
                    copied: ${copy}
                    enable_thinking: ${think}
                metadata:
                  port: ${PORT}
                  ctx: ${ctx}
                  label: ${label}
                  id: ${MODEL_ID}
                  note: "${MODEL_ID} on ${PORT}, temp=${temp}"
                  list: [1, 1.23, "${temp}", "model: ${MODEL_ID}"]
            """);

        var m = config.FindModel("m")!;
        Assert.Equal([new("temperature", "0.7"), new("copied", "0.7"), new KeyValuePair<string, string>("enable_thinking", "false")], m.SetParams.ToArray());
        Assert.Equal("""{"port":5800,"ctx":4096,"label":"123","id":"m","note":"m on 5800, temp=0.7","list":[1,1.23,0.7,"model: m"]}""", m.MetadataJson);
    }

    [Fact]
    public void Macros_PidStaysForTheSupervisorInCmdStopOnly()
    {
        var config = ConfigText.Valid("""
            models:
              docker:
                cmd: docker run --name ${MODEL_ID} -p ${PORT}:8080 image
                cmdStop: docker stop ${MODEL_ID} --pid ${PID}
            """);
        Assert.Equal(["docker", "stop", "docker", "--pid", "${PID}"], config.FindModel("docker")!.StopCommand.ToArray());

        ConfigText.SingleError("""
            models:
              m:
                cmd: server --port ${PORT} --parent ${PID}
            """, "models.m.cmd: ${PID} is only available in cmdStop", 3, 10);
    }

    [Fact]
    public void Macros_PortInProxyWithoutCmdUsingIt_IsAnError()
    {
        ConfigText.SingleError("""
            models:
              m:
                cmd: server --port 9000
                proxy: http://127.0.0.1:${PORT}
            """, "models.m.proxy: ${PORT} is only available when the model's cmd uses ${PORT}", 4, 12);
    }

    [Fact]
    public void Macros_NoPortAndNoProxy_AsksForAProxy()
    {
        ConfigText.SingleError("""
            models:
              m:
                cmd: server --port 9000
            """, "cmd does not use ${PORT}, so set `proxy:`", 2, 3);
    }

    [Fact]
    public void Macros_PortInAnotherFieldWithoutAllocation_IsAnError()
    {
        ConfigText.SingleError("""
            models:
              m:
                cmd: server --port 9000
                proxy: http://127.0.0.1:9000
                env: ["PORT_COPY=${PORT}"]
            """, "models.m.env[0]: ${PORT} is only available", 5, 11);
    }

    [Fact]
    public void Macros_UnknownReference_IsAnErrorWithSuggestion()
    {
        ConfigText.SingleError("""
            macros:
              context: 4096
            models:
              m:
                cmd: server --port ${PORT} --ctx ${contxt}
            """, "unknown macro '${contxt}' (did you mean 'context'?)", 5, 10);
    }

    [Fact]
    public void Macros_SelfReference_IsAnError()
    {
        ConfigText.SingleError("""
            macros:
              loop: a ${loop}
            models:
              m: { cmd: "server --port ${PORT}" }
            """, "macro 'loop' refers to itself", 2, 9);
    }

    [Fact]
    public void Macros_ReferenceToALaterMacro_IsAnError()
    {
        ConfigText.SingleError("""
            macros:
              first: --x ${second}
              second: 2
            models:
              m: { cmd: "server --port ${PORT} ${first}" }
            """, "uses '${second}', which is defined after it", 2, 10);
    }

    [Fact]
    public void Macros_ReservedAndInvalidNamesAndNonScalarValues_AreErrors()
    {
        var errors = ConfigText.Errors("""
            macros:
              PORT: 1
              "bad name": 2
              list: [1, 2]
              empty:
            models:
              m: { cmd: "server --port ${PORT}" }
            """);

        Assert.Equal(4, errors.Count);
        Assert.StartsWith("test.yaml:2:3: macros.PORT: 'PORT' is reserved", errors[0]);
        Assert.StartsWith("test.yaml:3:3: macros.bad name: a macro name uses letters", errors[1]);
        Assert.StartsWith("test.yaml:4:9: macros.list: a macro value must be text", errors[2]);
        Assert.StartsWith("test.yaml:5:9: macros.empty: a macro value must be text", errors[3]);
    }

    [Fact]
    public void Macros_ModelIdOutsideAModel_IsAnError()
    {
        ConfigText.SingleError("""
            peers:
              p:
                proxy: http://10.0.0.2:8080/${MODEL_ID}
                models: [remote]
            models:
              m: { cmd: "server --port ${PORT}" }
            """, "unknown macro '${MODEL_ID}' (only available inside a model)", 3, 12);
    }

    [Fact]
    public void Macros_InHooks_KnownOnesExpandShellVariablesStay()
    {
        var config = ConfigText.Valid("""
            macros:
              slots: /var/slots
            models:
              m:
                cmd: server --port ${PORT}
                beforeStop: curl -X POST "http://127.0.0.1:${PORT}/slots/0?action=save" -d "{\"filename\":\"${slots}/${MODEL_ID}.bin\"}" && echo ${HOME:-x} ${USER}
            """);

        Assert.Equal("curl -X POST \"http://127.0.0.1:5800/slots/0?action=save\" -d \"{\\\"filename\\\":\\\"/var/slots/m.bin\\\"}\" && echo ${HOME:-x} ${USER}",
            config.FindModel("m")!.Hooks.BeforeStop);
    }

    [Fact]
    public void Macros_NotMacroSyntax_IsLeftAlone()
    {
        var config = ConfigText.Valid("""
            models:
              m:
                cmd: server --port ${PORT} --template '${a b}' --x ${
            """);

        Assert.Equal(["server", "--port", "5800", "--template", "${a b}", "--x", "${"], config.FindModel("m")!.Command.ToArray());
    }
}
