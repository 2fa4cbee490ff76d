using TinySwap.LlamaCpp.Gguf;

namespace TinySwap.Tests.LlamaCpp;

/// <summary>Seeded mutations of valid files: every one must come back as facts or an error value, within bounded memory.</summary>
public sealed class GgufFuzzTests
{
    private const int Iterations = 3000;

    [Theory]
    [InlineData(1u, 1)]
    [InlineData(2u, 2)]
    [InlineData(3u, 3)]
    public void Read_MutatedFiles_NeverThrowAndStayBounded(uint version, int seed)
    {
        var random = new Random(seed);
        var valid = GgufWriter.Llama(version, blocks: 3, layerBytes: 64, embedBytes: 32, outputBytes: 32)
            .NestedArray("x.nested", [1, 2], [3]).Float32("x.f", 1f).ToArray();
        // Lengths and counts a mutation drops in: the values that break naive readers.
        ulong[] hostile = [0, 1, 0xFF, 0xFFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue, 1UL << 40, 65_537];
        var errors = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = (byte[])valid.Clone();
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations && bytes.Length > 0; m++)
            {
                var at = random.Next(bytes.Length);
                switch (random.Next(4))
                {
                    case 0:
                        bytes[at] ^= (byte)(1 << random.Next(8));
                        break;
                    case 1:
                        bytes[at] = (byte)random.Next(256);
                        break;
                    case 2 when at + 8 <= bytes.Length:
                        BitConverter.GetBytes(hostile[random.Next(hostile.Length)]).CopyTo(bytes, at);
                        break;
                    default:
                        bytes = bytes[..at];
                        break;
                }
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            var result = GgufReaderTests.Read(bytes);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.True(result.Facts is not null ^ result.Error is not null);
            // The reader's 64 KiB buffer plus what the file itself can describe: never sized by a count it claims.
            Assert.True(allocated < 512 * 1024, $"iteration {i}: {allocated} bytes allocated for a {bytes.Length}-byte file");
            if (result.Error is not null)
                errors++;
        }
        // The run exercised the error paths, not only harmless flips in padding.
        Assert.True(errors > Iterations / 4, $"{errors} errors");
    }
}
