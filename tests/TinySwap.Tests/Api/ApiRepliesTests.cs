using System.Text;
using System.Text.Json;
using TinySwap.Api;

namespace TinySwap.Tests.Api;

public sealed class ApiRepliesTests
{
    [Fact]
    public void Health_IsLlamaSwapsPlainOk() => Assert.Equal("OK", Encoding.ASCII.GetString(ApiReplies.Health));

    [Fact]
    public void JsonReplies_AreValidJson()
    {
        using (JsonDocument.Parse(ApiReplies.UnloadedAll.ToArray())) { }
        using (JsonDocument.Parse(ApiReplies.Loaded.ToArray())) { }
    }
}
