using System.Buffers;
using System.Text.Json;
using TinySwap.Http;

namespace TinySwap.Tests.Http;

public sealed class OpenAiErrorTests
{
    public static TheoryData<int, string, string?> Table => new()
    {
        { 400, "invalid_request_error", null },
        { 401, "invalid_request_error", "invalid_api_key" },
        { 404, "invalid_request_error", "not_found" },
        { 405, "invalid_request_error", "method_not_allowed" },
        { 408, "invalid_request_error", "request_timeout" },
        { 413, "invalid_request_error", "request_too_large" },
        { 429, "rate_limit_error", "rate_limit_exceeded" },
        { 500, "server_error", "internal_error" },
        { 502, "server_error", "bad_gateway" },
        { 503, "server_error", "service_unavailable" },
        { 504, "server_error", "gateway_timeout" },
    };

    private static (string Message, string Type, JsonElement Code) Parse(ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var error = document.RootElement.GetProperty("error");
        Assert.Single(document.RootElement.EnumerateObject());
        Assert.Equal(3, error.EnumerateObject().Count());
        return (error.GetProperty("message").GetString()!, error.GetProperty("type").GetString()!, error.GetProperty("code").Clone());
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void ForStatus_DefaultBody_ParsesBackToTheTableRow(int status, string type, string? code)
    {
        var kind = OpenAiError.ForStatus(status);
        Assert.Equal(status, kind.Status);
        var (message, parsedType, parsedCode) = Parse(kind.DefaultBody.Span);
        Assert.Equal(kind.DefaultMessage, message);
        Assert.Equal(type, parsedType);
        if (code is null)
            Assert.Equal(JsonValueKind.Null, parsedCode.ValueKind);
        else
            Assert.Equal(code, parsedCode.GetString());
    }

    [Fact]
    public void ModelNotFound_Is404WithItsOwnCode()
    {
        Assert.Equal(404, OpenAiError.ModelNotFound.Status);
        Assert.Equal("model_not_found", Parse(OpenAiError.ModelNotFound.DefaultBody.Span).Code.GetString());
    }

    [Theory]
    [InlineData(418, 400)]
    [InlineData(422, 400)]
    [InlineData(507, 500)]
    [InlineData(200, 500)]
    public void ForStatus_OutsideTheTable_FallsBackByClass(int status, int row)
        => Assert.Equal(row, OpenAiError.ForStatus(status).Status);

    [Theory]
    [InlineData("model 'a\"b\\c' not found")]
    [InlineData("control \u0001\n\t chars")]
    [InlineData("unicode 模型 🙂 é")]
    [InlineData("</script><b>&'")]
    [InlineData("")]
    public void Write_Message_IsEscapedAndRoundTrips(string message)
    {
        var output = new ArrayBufferWriter<byte>();
        OpenAiError.Write(output, OpenAiError.ModelNotFound, message);
        Assert.Equal(message, Parse(output.WrittenSpan).Message);
    }

    [Fact]
    public void Write_LoneSurrogate_BecomesReplacementCharacter()
    {
        var output = new ArrayBufferWriter<byte>();
        OpenAiError.Write(output, OpenAiError.ModelNotFound, "a\uD800b");
        Assert.Equal("a\uFFFDb", Parse(output.WrittenSpan).Message);
    }

    [Fact]
    public void Write_LongMessage_UsesAPooledBuffer()
    {
        var message = new string('x', 100_000) + "é";
        var output = new ArrayBufferWriter<byte>();
        OpenAiError.Write(output, OpenAiError.BadRequest, message);
        Assert.Equal(message, Parse(output.WrittenSpan).Message);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(0.001, 1)]
    [InlineData(1, 1)]
    [InlineData(1.2, 2)]
    [InlineData(120, 120)]
    public void RetryAfterSeconds_RoundsUpToAtLeastOne(double seconds, int expected)
        => Assert.Equal(expected, OpenAiError.RetryAfterSeconds(TimeSpan.FromSeconds(seconds)));
}
