namespace TinySwap.Tests;

public class SmokeTests
{
    [Fact]
    public void Placeholder() => Assert.Equal(0, TinySwap.Program.Main([]));
}
