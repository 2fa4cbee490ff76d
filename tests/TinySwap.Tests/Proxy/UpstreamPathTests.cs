using System.Text;
using TinySwap.Proxy;

namespace TinySwap.Tests.Proxy;

public sealed class UpstreamPathTests
{
    private static readonly ModelNameIndex Index = new(TestModels.Config(
        TestModels.Model("org"),
        TestModels.Model("org/model"),
        TestModels.Model("org/model/v2", "latest"),
        TestModels.Model("solo", "s"),
        TestModels.Model("with space")));

    private static (UpstreamPathStatus Status, string? Model, string Remainder) Resolve(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        var target = UpstreamPath.Resolve(bytes, Index);
        return (target.Status, target.Model?.Id, Encoding.UTF8.GetString(bytes.AsSpan(target.RestStart)));
    }

    [Theory]
    [InlineData("solo/v1/chat/completions", "solo", "/v1/chat/completions")]
    [InlineData("s/health", "solo", "/health")]
    [InlineData("org/x/y", "org", "/x/y")]
    [InlineData("org/model/health", "org/model", "/health")]
    [InlineData("org/model/v2/health", "org/model/v2", "/health")]
    [InlineData("org/model/v2/", "org/model/v2", "/")]
    [InlineData("org/model/v3/x", "org/model", "/v3/x")]
    [InlineData("latest/props", "org/model/v2", "/props")]
    [InlineData("org%2Fmodel/health", "org/model", "/health")]
    [InlineData("org%2fmodel%2Fv2/a%20b", "org/model/v2", "/a%20b")]
    [InlineData("with%20space/x", "with space", "/x")]
    [InlineData("solo//double", "solo", "//double")]
    [InlineData("solo/../escape", "solo", "/../escape")]
    public void Resolve_LongestKnownPrefixWins_RestStaysRaw(string path, string model, string rest)
        => Assert.Equal((UpstreamPathStatus.Found, model, rest), Resolve(path));

    [Theory]
    [InlineData("solo", "solo")]
    [InlineData("org/model", "org/model")]
    [InlineData("org%2Fmodel", "org/model")]
    public void Resolve_ExactlyAModel_NeedsTrailingSlash(string path, string model)
    {
        var (status, id, rest) = Resolve(path);
        Assert.Equal(UpstreamPathStatus.NeedsTrailingSlash, status);
        Assert.Equal(model, id);
        Assert.Equal("", rest);
    }

    [Theory]
    [InlineData("nope/x")]
    [InlineData("Solo/x")]
    [InlineData("/solo/x")]
    [InlineData("or/g")]
    [InlineData("sol%6/x")]
    public void Resolve_NoKnownPrefix_IsUnknownModel(string path)
        => Assert.Equal(UpstreamPathStatus.UnknownModel, Resolve(path).Status);

    [Fact]
    public void Resolve_Empty_IsNoModel()
        => Assert.Equal(UpstreamPathStatus.NoModel, Resolve("").Status);

    [Fact]
    public void RequestedName_IsTheFirstSegment()
        => Assert.Equal("nope", Encoding.UTF8.GetString(UpstreamPath.RequestedName("nope/x/y"u8)));
}
