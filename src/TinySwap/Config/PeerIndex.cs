using System.Buffers;
using System.Collections.Immutable;
using System.Text.Unicode;

namespace TinySwap.Config;

/// <summary>A model a peer serves, as a request reaches it: the peer, the id the peer knows it by, and its `PEER/MODEL` name.</summary>
internal sealed record PeerModel(PeerConfig Peer, string ModelId)
{
    public string QualifiedName { get; } = PeerIndex.QualifiedName(Peer.Id, ModelId);
}

/// <summary>
/// Which peer serves a requested name, as llama-swap's <c>ResolvePeerModel</c> decides: `PEER/MODEL` exactly, else a bare
/// `MODEL` that exactly one peer lists. Local ids and aliases are looked up first by the caller and win. Built once per
/// loaded config; lookups allocate nothing.
/// </summary>
internal sealed class PeerIndex
{
    public static readonly PeerIndex Empty = new([]);

    private readonly Dictionary<string, PeerModel> _byName;
    private readonly Dictionary<string, PeerModel>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public PeerIndex(ImmutableArray<PeerConfig> peers)
    {
        var qualified = new Dictionary<string, PeerModel>(StringComparer.Ordinal);
        var bare = new Dictionary<string, PeerModel?>(StringComparer.Ordinal);
        foreach (var peer in peers)
        {
            foreach (var id in peer.Models)
            {
                var model = new PeerModel(peer, id);
                qualified.TryAdd(model.QualifiedName, model);
                // A bare id two peers list is ambiguous: null marks it, and only the qualified names reach it.
                bare[id] = bare.ContainsKey(id) ? null : model;
            }
        }
        Models = [.. qualified.Values.OrderBy(m => m.QualifiedName, StringComparer.Ordinal)];
        _byName = new Dictionary<string, PeerModel>(qualified, StringComparer.Ordinal);
        // A qualified name wins over a bare id spelled the same (peer "a" model "b/c" against peer "a/b" model "c" is refused
        // by the validator; peer "x" model "y/z" against a bare "x/y/z" elsewhere is not).
        foreach (var (id, model) in bare)
        {
            if (model is not null)
                _byName.TryAdd(id, model);
        }
        _bySpan = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Every peer model once, sorted by qualified name: what /v1/models lists.</summary>
    public ImmutableArray<PeerModel> Models { get; }

    public bool IsEmpty => _byName.Count == 0;

    /// <summary>The peer model <paramref name="name"/> routes to, or null. Call it after local ids and aliases missed.</summary>
    public PeerModel? Find(ReadOnlySpan<char> name) => _bySpan.TryGetValue(name, out var model) ? model : null;

    public PeerModel? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary><see cref="Find(ReadOnlySpan{char})"/> for a UTF-8 name; invalid UTF-8 is simply unknown.</summary>
    public PeerModel? FindUtf8(ReadOnlySpan<byte> name)
    {
        if (_byName.Count == 0 || name.Length > MaxNameBytes)
            return null;
        Span<char> chars = stackalloc char[MaxNameBytes];
        var status = Utf8.ToUtf16(name, chars, out _, out var written, replaceInvalidSequences: false);
        return status == OperationStatus.Done ? Find(chars[..written]) : null;
    }

    /// <summary>Longest UTF-8 name <see cref="FindUtf8"/> looks up; a longer one is no peer model (ids are short).</summary>
    public const int MaxNameBytes = 512;

    /// <summary>`PEER/MODEL`. Both ids may hold '/', so the result is only ever compared whole, never split.</summary>
    public static string QualifiedName(string peerId, string modelId) => peerId + "/" + modelId;
}
