using System.Text;
using TinySwap.Proxy;

namespace TinySwap.Tests.Proxy;

public sealed class MultipartBoundaryTests
{
    private static MultipartBoundaryStatus Parse(string contentType, out string boundary)
    {
        var buffer = new byte[MultipartBoundary.MaxLength];
        var status = MultipartBoundary.Parse(Encoding.Latin1.GetBytes(contentType), buffer, out var length);
        boundary = Encoding.Latin1.GetString(buffer, 0, length);
        return status;
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", "----WebKitFormBoundary7MA4YWxkTrZu0gW")]
    [InlineData("multipart/form-data;boundary=abc", "abc")]
    [InlineData("Multipart/Form-Data; BOUNDARY=abc", "abc")]
    [InlineData("  multipart/form-data ;  boundary=abc  ", "abc")]
    [InlineData("multipart/form-data; charset=utf-8; boundary=abc", "abc")]
    [InlineData("multipart/form-data; boundary=abc; charset=utf-8", "abc")]
    [InlineData("multipart/form-data; boundary=\"abc\"", "abc")]
    [InlineData("multipart/form-data; boundary=\"a b:c=d?e\"", "a b:c=d?e")]
    [InlineData("multipart/form-data; boundary=\"a\\bc\"", "abc")]
    [InlineData("multipart/form-data; ; boundary=abc", "abc")]
    [InlineData("multipart/form-data; x=\"semi;colon\"; boundary=abc", "abc")]
    public void Parse_ValidContentType_FindsBoundary(string contentType, string expected)
    {
        Assert.Equal(MultipartBoundaryStatus.Found, Parse(contentType, out var boundary));
        Assert.Equal(expected, boundary);
    }

    [Fact]
    public void Parse_SeventyCharacterBoundary_IsFound()
    {
        var seventy = new string('b', 70);
        Assert.Equal(MultipartBoundaryStatus.Found, Parse("multipart/form-data; boundary=" + seventy, out var boundary));
        Assert.Equal(seventy, boundary);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("multipart/mixed; boundary=abc")]
    [InlineData("multipart/form-datax; boundary=abc")]
    [InlineData("")]
    public void Parse_OtherMediaType_IsNotFormData(string contentType)
        => Assert.Equal(MultipartBoundaryStatus.NotFormData, Parse(contentType, out _));

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data;")]
    [InlineData("multipart/form-data; charset=utf-8")]
    public void Parse_NoBoundary_IsMissingBoundary(string contentType)
        => Assert.Equal(MultipartBoundaryStatus.MissingBoundary, Parse(contentType, out _));

    [Theory]
    [InlineData("multipart/form-data; boundary=")]
    [InlineData("multipart/form-data; boundary=\"\"")]
    [InlineData("multipart/form-data; boundary=\"abc ")]
    [InlineData("multipart/form-data; boundary=\"abc \"")]
    [InlineData("multipart/form-data; boundary=a=b")]
    [InlineData("multipart/form-data; boundary=abc!")]
    [InlineData("multipart/form-data; boundary=\"a\tb\"")]
    [InlineData("multipart/form-data; boundary=abc; boundary=def")]
    [InlineData("multipart/form-data; boundary")]
    [InlineData("multipart/form-data boundary=abc")]
    [InlineData("multipart/form-data; boundary=abc junk")]
    [InlineData("multipart/form-data; boundary=\"ab\rc\"")]
    public void Parse_BadBoundaryOrSyntax_IsInvalid(string contentType)
        => Assert.Equal(MultipartBoundaryStatus.Invalid, Parse(contentType, out _));

    [Fact]
    public void Parse_SeventyOneCharacterBoundary_IsInvalid()
        => Assert.Equal(MultipartBoundaryStatus.Invalid, Parse("multipart/form-data; boundary=" + new string('b', 71), out _));
}
