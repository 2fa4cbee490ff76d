using System.Text;
using TinySwap.Config;

namespace TinySwap.Tests.Config;

/// <summary>Which peer a requested name reaches, as llama-swap's ResolvePeerModel decides.</summary>
public sealed class PeerIndexTests
{
    private static PeerConfig Peer(string id, params string[] models) =>
        new() { Id = id, Proxy = new Uri($"http://{id.Replace('/', '-')}.example:8080"), Models = [.. models] };

    [Fact]
    public void QualifiedName_ReachesThatPeer_AndTheModelIdItKnows()
    {
        var index = new PeerIndex([Peer("lab", "a", "org/b"), Peer("cloud", "a")]);

        var found = index.Find("cloud/a");

        Assert.Equal(("cloud", "a"), (found!.Peer.Id, found.ModelId));
        Assert.Equal(("lab", "org/b"), (index.Find("lab/org/b")!.Peer.Id, index.Find("lab/org/b")!.ModelId));
    }

    [Fact]
    public void BareId_ReachesTheOnlyPeerServingIt_AndNoneWhenTwoDo()
    {
        var index = new PeerIndex([Peer("lab", "a", "b"), Peer("cloud", "a")]);

        Assert.Equal("lab", index.Find("b")!.Peer.Id);
        Assert.Null(index.Find("a"));
        Assert.Null(index.Find("c"));
    }

    [Fact]
    public void QualifiedName_WinsOverABareIdSpelledTheSame()
    {
        // Peer "x" serves "y/z" (qualified "x/y/z"); peer "w" serves a model whose bare id is "x/y/z".
        var index = new PeerIndex([Peer("w", "x/y/z"), Peer("x", "y/z")]);

        Assert.Equal(("x", "y/z"), (index.Find("x/y/z")!.Peer.Id, index.Find("x/y/z")!.ModelId));
    }

    [Fact]
    public void Models_AreListedOnceEach_SortedByQualifiedName()
    {
        var index = new PeerIndex([Peer("lab", "b", "a", "b"), Peer("cloud", "z")]);

        Assert.Equal(["cloud/z", "lab/a", "lab/b"], index.Models.Select(m => m.QualifiedName).ToArray());
    }

    [Fact]
    public void FindUtf8_MatchesFind_AndInvalidOrOverlongNamesAreUnknown()
    {
        var index = new PeerIndex([Peer("lab", "ü")]);

        Assert.Same(index.Find("lab/ü"), index.FindUtf8(Encoding.UTF8.GetBytes("lab/ü")));
        Assert.Null(index.FindUtf8([0x6C, 0x61, 0x62, 0x2F, 0xC3]));
        Assert.Null(index.FindUtf8(new byte[PeerIndex.MaxNameBytes + 1]));
    }
}
