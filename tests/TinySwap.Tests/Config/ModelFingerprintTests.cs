namespace TinySwap.Tests.Config;

public sealed class ModelFingerprintTests
{
    private const string Base = """
        models:
          a:
            cmd: server --port ${PORT} -m a.gguf
            ttl: 60
            aliases: [first]
          b:
            cmd: server --port ${PORT} -m b.gguf
        """;

    private static string FingerprintOf(string yaml, string model) => ConfigText.Valid(yaml).FindModel(model)!.Fingerprint;

    [Fact]
    public void Fingerprint_SameConfig_IsEqual() => Assert.Equal(FingerprintOf(Base, "a"), FingerprintOf(Base, "a"));

    [Theory]
    [InlineData("ttl: 60", "ttl: 120")]
    [InlineData("aliases: [first]", "aliases: [second]")]
    [InlineData("ttl: 60", "ttl: 60\n    name: A model\n    unlisted: true\n    priority: 5\n    filters: { stripParams: top_k }\n    metadata: { x: 1 }")]
    public void Fingerprint_IgnoresWhatDoesNotTouchTheProcess(string from, string to) =>
        Assert.Equal(FingerprintOf(Base, "a"), FingerprintOf(Base.Replace(from, to), "a"));

    [Theory]
    [InlineData("-m a.gguf", "-m a2.gguf")]
    [InlineData("ttl: 60", "ttl: 60\n    env: [X=1]")]
    [InlineData("ttl: 60", "ttl: 60\n    cmdStop: kill ${PID}")]
    [InlineData("ttl: 60", "ttl: 60\n    checkEndpoint: /ready")]
    [InlineData("ttl: 60", "ttl: 60\n    afterHealthy: echo hi")]
    [InlineData("ttl: 60", "ttl: 60\n    unloadTimeout: 3")]
    [InlineData("ttl: 60", "ttl: 60\n    proxy: http://127.0.0.1:${PORT}/prefix")]
    public void Fingerprint_ChangesWithWhatShapesTheProcess(string from, string to) =>
        Assert.NotEqual(FingerprintOf(Base, "a"), FingerprintOf(Base.Replace(from, to), "a"));

    [Fact]
    public void Fingerprint_ChangesWhenTheModelsPortMoves()
    {
        // A new model sorting before "b" shifts b's ${PORT}: b's server must restart on the new port.
        var withNewModel = Base.Replace("models:\n", "models:\n  aa:\n    cmd: server --port ${PORT}\n");
        Assert.NotEqual(FingerprintOf(Base, "b"), FingerprintOf(withNewModel, "b"));
    }
}
