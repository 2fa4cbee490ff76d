using System.Text;

namespace TinySwap.Http.Parsing;

/// <summary>A byte range inside a <see cref="FieldStore"/>.</summary>
internal readonly record struct StoreRange(int Start, int Length);

/// <summary>
/// The bytes of a parsed head (request or response) copied into one reusable array, with the fields as ranges.
/// Copying once, right after a line is validated, lets the connection consume the input immediately and gives the
/// handler contiguous spans however the bytes were split across network reads.
/// </summary>
internal sealed class FieldStore(int maxFields)
{
    private byte[] _bytes = new byte[2048];
    private int _used;
    private readonly (StoreRange Name, StoreRange Value)[] _fields = new (StoreRange, StoreRange)[maxFields];

    public int Count { get; private set; }

    public ReadOnlySpan<byte> Name(int index) => this[_fields[index].Name];
    public ReadOnlySpan<byte> Value(int index) => this[_fields[index].Value];

    public ReadOnlySpan<byte> this[StoreRange range] => _bytes.AsSpan(range.Start, range.Length);

    public void Reset()
    {
        _used = 0;
        Count = 0;
    }

    /// <summary>Adds a field and returns its index; over the field limit is <see cref="HttpRejection.TooManyHeaders"/>.</summary>
    public int Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (Count == _fields.Length)
            HttpRejectedException.Throw(HttpRejection.TooManyHeaders);
        _fields[Count] = (Append(name), Append(value));
        return Count++;
    }

    /// <summary>First field named <paramref name="name"/> (ASCII case-insensitive).</summary>
    public bool TryGet(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < Count; i++)
        {
            var field = _fields[i];
            if (field.Name.Length == name.Length && Ascii.EqualsIgnoreCase(this[field.Name], name))
            {
                value = this[field.Value];
                return true;
            }
        }
        value = default;
        return false;
    }

    public StoreRange Append(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + bytes.Length));
        bytes.CopyTo(_bytes.AsSpan(_used));
        var range = new StoreRange(_used, bytes.Length);
        _used += bytes.Length;
        return range;
    }
}
