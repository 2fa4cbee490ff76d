using System.Buffers;
using Microsoft.Win32.SafeHandles;
using TinySwap.Native;
using TinySwap.Proxy.Forwarding;

namespace TinySwap.Proxy;

/// <summary>
/// The start of a request body read ahead to find its model (a multipart upload whose file part comes before the
/// <c>model</c> field, as the openai npm SDK sends it): held in memory up to <see cref="MemoryBytes"/>, past that
/// appended to an unlinked temporary file (<see cref="UnlinkedTempFile"/>), so a 64 MiB upload costs 64 KiB of RAM.
/// The server's body limit (maxBodyMB) bounds what can be written; disposing closes the file, which frees it.
/// </summary>
/// <remarks>
/// Sent back with <see cref="IRequestBodyPrefix"/>, optionally with one byte range replaced (the model value, for
/// useModelName), without rewriting the file: reads map positions around the replaced range.
/// </remarks>
internal sealed class BodySpill(string directory) : IRequestBodyPrefix, IDisposable
{
    /// <summary>What stays in memory; a prefix that outgrows it moves to disk.</summary>
    public const int MemoryBytes = 64 * 1024;

    private byte[]? _memory = ArrayPool<byte>.Shared.Rent(MemoryBytes);
    private int _memoryLength;
    private SafeFileHandle? _file;
    private long _fileLength;

    // The replaced range, in positions of the bytes as written.
    private long _replaceStart = -1;
    private long _replaceEnd;
    private ReadOnlyMemory<byte> _replacement;

    /// <summary>Bytes written so far.</summary>
    public long WrittenLength => _fileLength + _memoryLength;

    /// <summary>True once the prefix outgrew memory; then only <see cref="ReadAsync"/> gives it back.</summary>
    public bool IsSpilled => _file is not null;

    /// <summary>The whole prefix while it is still in memory.</summary>
    public ReadOnlyMemory<byte> InMemory => IsSpilled ? throw new InvalidOperationException("the prefix is on disk") : _memory.AsMemory(0, _memoryLength);

    public long Length => WrittenLength + (_replaceStart < 0 ? 0 : _replacement.Length - (_replaceEnd - _replaceStart));

    /// <summary>Appends; spills to disk when memory is full. <see cref="IOException"/> when the file cannot be made or written.</summary>
    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken)
    {
        var memory = _memory ?? throw new ObjectDisposedException(nameof(BodySpill));
        foreach (var segment in data)
        {
            var rest = segment;
            while (!rest.IsEmpty)
            {
                var take = Math.Min(rest.Length, MemoryBytes - _memoryLength);
                rest.Span[..take].CopyTo(memory.AsSpan(_memoryLength));
                _memoryLength += take;
                rest = rest[take..];
                if (_memoryLength == MemoryBytes)
                    await FlushToFileAsync(memory, cancellationToken);
            }
        }
    }

    private async ValueTask FlushToFileAsync(byte[] memory, CancellationToken cancellationToken)
    {
        try
        {
            _file ??= UnlinkedTempFile.Open(directory);
            await RandomAccess.WriteAsync(_file, memory.AsMemory(0, _memoryLength), _fileLength, cancellationToken);
        }
        catch (IOException ex)
        {
            // Ours, not the client's: tempDir missing or full is a server problem (500), a broken connection is not.
            throw new UploadSpillException(ex.Message.Contains(directory, StringComparison.Ordinal) ? ex.Message : $"'{directory}': {ex.Message}", ex);
        }
        _fileLength += _memoryLength;
        _memoryLength = 0;
    }

    /// <summary>Sends <paramref name="replacement"/> instead of the written bytes <paramref name="start"/>..<paramref name="end"/>.</summary>
    public void Replace(long start, long end, ReadOnlyMemory<byte> replacement)
    {
        if (start < 0 || end < start || end > WrittenLength)
            throw new ArgumentOutOfRangeException(nameof(start));
        (_replaceStart, _replaceEnd, _replacement) = (start, end, replacement);
    }

    public async ValueTask<int> ReadAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_replaceStart < 0 || offset < _replaceStart)
        {
            var limit = _replaceStart < 0 ? WrittenLength : _replaceStart;
            return await ReadWrittenAsync(offset, destination[..(int)Math.Min(destination.Length, limit - offset)], cancellationToken);
        }
        var intoReplacement = offset - _replaceStart;
        if (intoReplacement < _replacement.Length)
        {
            var piece = _replacement[(int)intoReplacement..];
            piece = piece[..Math.Min(piece.Length, destination.Length)];
            piece.CopyTo(destination);
            return piece.Length;
        }
        return await ReadWrittenAsync(_replaceEnd + intoReplacement - _replacement.Length, destination, cancellationToken);
    }

    private async ValueTask<int> ReadWrittenAsync(long position, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty || position >= WrittenLength)
            return 0;
        if (position >= _fileLength)
        {
            var tail = _memory.AsMemory((int)(position - _fileLength), _memoryLength - (int)(position - _fileLength));
            tail = tail[..Math.Min(tail.Length, destination.Length)];
            tail.CopyTo(destination);
            return tail.Length;
        }
        var fromFile = destination[..(int)Math.Min(destination.Length, _fileLength - position)];
        return await RandomAccess.ReadAsync(_file!, fromFile, position, cancellationToken);
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
        if (_memory is { } memory)
            ArrayPool<byte>.Shared.Return(memory);
        _memory = null;
    }
}

/// <summary>The temporary file of a <see cref="BodySpill"/> could not be created or written (tempDir missing, full, read-only).</summary>
internal sealed class UploadSpillException(string message, Exception inner) : Exception(message, inner);
