using System.Buffers;
using TinySwap.Proxy;

namespace TinySwap.Tests.Proxy.Security;

public sealed class BodySpillTests
{
    private static byte[] Data(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    private static async Task<byte[]> ReadAllAsync(BodySpill spill, int bufferSize)
    {
        var result = new List<byte>();
        var buffer = new byte[bufferSize];
        for (long offset = 0; offset < spill.Length;)
        {
            var read = await spill.ReadAsync(offset, buffer, CancellationToken.None);
            Assert.True(read > 0, $"read 0 at {offset} of {spill.Length}");
            result.AddRange(buffer.AsSpan(0, read).ToArray());
            offset += read;
        }
        return [.. result];
    }

    private static async Task WriteInPiecesAsync(BodySpill spill, byte[] data, int piece)
    {
        for (var i = 0; i < data.Length; i += piece)
            await spill.WriteAsync(new ReadOnlySequence<byte>(data, i, Math.Min(piece, data.Length - i)), CancellationToken.None);
    }

    [Fact]
    public async Task APrefixWithinTheThreshold_StaysInMemory()
    {
        using var spill = new BodySpill(Path.GetTempPath());
        var data = Data(BodySpill.MemoryBytes - 1);
        await WriteInPiecesAsync(spill, data, 1000);

        Assert.False(spill.IsSpilled);
        Assert.Equal(data, spill.InMemory.ToArray());
    }

    [Theory]
    [InlineData(BodySpill.MemoryBytes, 4096)]
    [InlineData(BodySpill.MemoryBytes * 5 + 123, 7777)]
    public async Task ALargerPrefix_GoesToAnUnlinkedFile_AndReadsBackIdentical(int length, int piece)
    {
        var directory = Directory.CreateTempSubdirectory("tinyswap-spill-").FullName;
        try
        {
            using (var spill = new BodySpill(directory))
            {
                var data = Data(length);
                await WriteInPiecesAsync(spill, data, piece);

                Assert.True(spill.IsSpilled);
                Assert.Empty(Directory.EnumerateFileSystemEntries(directory));   // no name, ever
                Assert.Equal(data, await ReadAllAsync(spill, 10_000));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(10, 20)]                                        // inside the file
    [InlineData(BodySpill.MemoryBytes - 3, BodySpill.MemoryBytes + 4)] // across the file's end and memory
    [InlineData(BodySpill.MemoryBytes * 2 + 5, BodySpill.MemoryBytes * 2 + 9)]  // in memory after a spill
    public async Task AReplacedRange_IsSentInItsPlace(int start, int end)
    {
        using var spill = new BodySpill(Path.GetTempPath());
        var data = Data(BodySpill.MemoryBytes * 2 + 100);
        await WriteInPiecesAsync(spill, data, 3000);
        var replacement = "whisper-large-v3-turbo"u8.ToArray();

        spill.Replace(start, end, replacement);

        byte[] expected = [.. data[..start], .. replacement, .. data[end..]];
        Assert.Equal(expected.Length, spill.Length);
        Assert.Equal(expected, await ReadAllAsync(spill, 9));
        Assert.Equal(expected, await ReadAllAsync(spill, 100_000));
    }

    [Fact]
    public async Task AMissingTempDirectory_IsAnUploadSpillError()
    {
        using var spill = new BodySpill("/nonexistent/tinyswap-tmp");
        var error = await Assert.ThrowsAsync<UploadSpillException>(() =>
            WriteInPiecesAsync(spill, Data(BodySpill.MemoryBytes + 1), 65536));
        Assert.Contains("/nonexistent/tinyswap-tmp", error.Message);
    }

    [Fact]
    public async Task Dispose_ClosesTheFile()
    {
        var directory = Directory.CreateTempSubdirectory("tinyswap-spill-").FullName;
        try
        {
            var spill = new BodySpill(directory);
            await WriteInPiecesAsync(spill, Data(BodySpill.MemoryBytes * 2), 65536);
            Assert.Single(OpenFilesIn(directory));

            spill.Dispose();

            Assert.Empty(OpenFilesIn(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Our descriptors on files in <paramref name="directory"/> (an unlinked one reads "DIR/#INODE (deleted)").</summary>
    private static List<string> OpenFilesIn(string directory) =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Select(fd =>
            {
                try
                {
                    return new FileInfo(fd).LinkTarget ?? "";
                }
                catch (IOException)
                {
                    return "";
                }
            })
            .Where(target => target.StartsWith(directory + "/", StringComparison.Ordinal))
            .ToList();
}
