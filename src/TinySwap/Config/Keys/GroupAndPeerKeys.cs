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

/// <summary>One entry under `peers:` and its `filters:`.</summary>
internal static class PeerKeys
{
    public static readonly ConfigSection<RawPeer> Filters = new("peers.ID.filters", "Peer filters",
    [
        new("stripParams", LlamaSwap, "", "as a model's", (at, p, v) => at.Sections.ReadStripParams(v, at.Path, p.StripParams)),
        new("setParams", LlamaSwap, "", "as a model's", (at, p, v) => at.Sections.ReadSetParams(v, at.Path, p.SetParams)),
        Key.NotImplemented<RawPeer>("setParamsByID", "planned (issue 11) with forwarding to peers"),
    ]);

    public static readonly ConfigSection<RawPeer> Section = new("peers.ID", "Peers",
    [
        Key.Text<RawPeer>("proxy", LlamaSwap, "required", (p, v) => p.Proxy = v, "the peer's base URL"),
        Key.Text<RawPeer>("apiKey", LlamaSwap, "", (p, v) => p.ApiKey = v, "sent to the peer as `Authorization: Bearer` and `x-api-key`"),
        new("models", LlamaSwap, "required", "the model ids the peer serves",
            (at, p, v) => p.Models.AddRange(RawConfigReader.Located(at.Reader.StringList(v, at.Path)))),
        new("filters", LlamaSwap, "", "`stripParams` and `setParams`, as a model's", (at, p, v) => Filters.Read(at.Reader, at.Sections, p, v, at.Path)),
        Key.NotImplemented<RawPeer>("timeouts", "planned (issue 11) with forwarding to peers"),
        Key.NotImplemented<RawPeer>("httpTimeout", "not read yet"),
    ]);
}
