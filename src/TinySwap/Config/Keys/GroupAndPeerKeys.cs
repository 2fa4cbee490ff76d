using static TinySwap.Config.Keys.KeyOrigin;

namespace TinySwap.Config.Keys;

/// <summary>One entry under `groups:`.</summary>
internal static class GroupKeys
{
    public static readonly ConfigKey<RawGroup, bool> Swap = Key.Bool<RawGroup>("swap", LlamaSwap, true, (g, v) => g.Swap = v,
        "only one member runs at a time; false lets members run together");

    public static readonly ConfigKey<RawGroup, bool> Exclusive = Key.Bool<RawGroup>("exclusive", LlamaSwap, true, (g, v) => g.Exclusive = v,
        "starting a member stops the models of other groups (except persistent ones)");

    public static readonly ConfigKey<RawGroup, bool> Persistent = Key.Bool<RawGroup>("persistent", LlamaSwap, false, (g, v) => g.Persistent = v,
        "other groups never stop this group's models");

    public static readonly ConfigSection<RawGroup> Section = new("groups.ID", "Groups",
    [
        Swap,
        Exclusive,
        Persistent,
        new("members", LlamaSwap, "required", "the model ids of the group; a model is in at most one group", (at, g, v) =>
        {
            g.HasMembers = true;
            g.Members.AddRange(RawConfigReader.Located(at.Reader.StringList(v, at.Path)));
        }),
    ]);
}

/// <summary>One entry under `peers:`, its `filters:` and its `timeouts:`.</summary>
internal static class PeerKeys
{
    public static readonly ConfigSection<RawPeer> Filters = new("peers.ID.filters", "Peer filters",
    [
        new("stripParams", LlamaSwap, "", "as a model's", (at, p, v) => at.Sections.ReadStripParams(v, at.Path, p.StripParams)),
        new("setParams", LlamaSwap, "", "as a model's", (at, p, v) => at.Sections.ReadSetParams(v, at.Path, p.SetParams)),
        Key.NotImplemented<RawPeer>("setParamsByID", "not applied to peers yet"),
    ]);

    // llama-swap's names, units (whole seconds) and defaults (its Go transport's, with a 60 s response header wait);
    // 0 turns a timeout off.
    public static readonly ConfigKey<RawPeer, TimeSpan> Connect = Key.Seconds<RawPeer>("connect", LlamaSwap, 30, (p, v) => p.Timeouts.Connect = v,
        "seconds to open the TCP connection; a peer that does not answer gets a 504");

    public static readonly ConfigKey<RawPeer, TimeSpan> KeepAlive = Key.Seconds<RawPeer>("keepalive", LlamaSwap, 30, (p, v) => p.Timeouts.KeepAlive = v,
        "TCP keep-alive probe interval in seconds on peer connections");

    public static readonly ConfigKey<RawPeer, TimeSpan> ResponseHeader = Key.Seconds<RawPeer>("responseHeader", LlamaSwap, 60,
        (p, v) => p.Timeouts.ResponseHeader = v, "seconds from sending the request to the peer's response head (504 after); a stream may then run for as long as it runs");

    public static readonly ConfigKey<RawPeer, TimeSpan> TlsHandshake = Key.Seconds<RawPeer>("tlsHandshake", LlamaSwap, 10,
        (p, v) => p.Timeouts.TlsHandshake = v, "seconds for the TLS handshake with an https:// peer");

    public static readonly ConfigKey<RawPeer, TimeSpan> ExpectContinue = Key.Seconds<RawPeer>("expectContinue", LlamaSwap, 1, (_, _) => { },
        "read and ignored: tinyswap never sends `Expect: 100-continue` upstream");

    public static readonly ConfigKey<RawPeer, TimeSpan> IdleConn = Key.Seconds<RawPeer>("idleConn", LlamaSwap, 90, (p, v) => p.Timeouts.IdleConn = v,
        "seconds an idle keep-alive connection to the peer stays pooled");

    public static readonly ConfigSection<RawPeer> Timeouts = new("peers.ID.timeouts", "Peer timeouts",
        [Connect, KeepAlive, ResponseHeader, TlsHandshake, ExpectContinue, IdleConn]);

    public static readonly ConfigSection<RawPeer> Section = new("peers.ID", "Peers",
    [
        Key.Text<RawPeer>("proxy", LlamaSwap, "required", (p, v) => p.Proxy = v,
            "the peer's base URL, http:// or https://; the request path is appended to it (`https://openrouter.ai/api`)"),
        Key.Text<RawPeer>("apiKey", LlamaSwap, "", (p, v) => p.ApiKey = v, "sent to the peer as `Authorization: Bearer` and `x-api-key`, replacing the client's"),
        new("models", LlamaSwap, "required", "the model ids the peer serves; clients ask for `PEER/MODEL`, or `MODEL` when no local model or alias and no other peer has that name",
            (at, p, v) => p.Models.AddRange(RawConfigReader.Located(at.Reader.StringList(v, at.Path)))),
        new("filters", LlamaSwap, "", "`stripParams` and `setParams`, as a model's", (at, p, v) => Filters.Read(at.Reader, at.Sections, p, v, at.Path)),
        new("timeouts", LlamaSwap, "", "see Peer timeouts", (at, p, v) => Timeouts.Read(at.Reader, at.Sections, p, v, at.Path)),
        Key.Text<RawPeer>("caFile", Ours, "", (p, v) => p.CaFile = v,
            "PEM file of the certificate authorities to trust for this https:// peer instead of the system's (a self-signed peer)"),
    ]);
}
