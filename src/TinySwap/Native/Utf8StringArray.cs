using System.Runtime.InteropServices;
using System.Text;

namespace TinySwap.Native;

/// <summary>A NULL-terminated <c>char*[]</c> of UTF-8 strings (argv, envp) in one native allocation.</summary>
internal sealed unsafe class Utf8StringArray : IDisposable
{
    private byte* _block;

    public Utf8StringArray(IReadOnlyList<string> items)
    {
        var pointersBytes = (nuint)(items.Count + 1) * (nuint)sizeof(byte*);
        nuint total = pointersBytes;
        for (var i = 0; i < items.Count; i++)
            total += (nuint)Encoding.UTF8.GetByteCount(items[i]) + 1;

        _block = (byte*)NativeMemory.Alloc(total);
        var pointers = (byte**)_block;
        var next = _block + pointersBytes;
        for (var i = 0; i < items.Count; i++)
        {
            pointers[i] = next;
            var written = Encoding.UTF8.GetBytes(items[i], new Span<byte>(next, (int)(total - (nuint)(next - _block))));
            next[written] = 0;
            next += written + 1;
        }
        pointers[items.Count] = null;
        Count = items.Count;
    }

    public int Count { get; }

    public byte** Pointer => (byte**)_block;

    public byte* this[int index] => Pointer[index];

    public void Dispose()
    {
        NativeMemory.Free(_block);
        _block = null;
    }
}
