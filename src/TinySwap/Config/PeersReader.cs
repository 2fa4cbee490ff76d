using TinySwap.Config.Yaml;

namespace TinySwap.Config;

/// <summary>llama-swap's `peers:`: remote servers and the model ids they answer for.</summary>
internal sealed class PeersReader(NodeReader reader, RawConfigReader sections)
{
    public void Read(YamlNode value, List<RawPeer> into)
    {
        foreach (var (id, idNode, body) in reader.Entries(value, "peers"))
        {
            var peer = new RawPeer(id, idNode);
            var path = "peers." + id;
            foreach (var (key, keyNode, item) in reader.Entries(body, path))
            {
                var at = NodeReader.Join(path, key);
                switch (key)
                {
                    case "proxy": peer.Proxy = reader.String(item, at) is { } proxy ? new(proxy, item) : null; break;
                    case "apiKey": peer.ApiKey = reader.String(item, at) is { } apiKey ? new(apiKey, item) : null; break;
                    case "models": peer.Models.AddRange(RawConfigReader.Located(reader.StringList(item, at))); break;
                    case "filters": ReadFilters(peer, item, at); break;
                    default: reader.UnknownKey(keyNode, key, path, ConfigKeys.Peer, ConfigKeys.PeerNotImplemented); break;
                }
            }
            if (body.IsMapping && peer.Proxy is null)
                reader.Diagnostics.Error(idNode, $"{path}: `proxy:` is missing (the peer's base URL)");
            if (body.IsMapping && peer.Models.Count == 0)
                reader.Diagnostics.Error(idNode, $"{path}: `models:` is missing or empty (the model ids the peer serves)");
            into.Add(peer);
        }
    }

    private void ReadFilters(RawPeer peer, YamlNode value, string path)
    {
        foreach (var (key, keyNode, item) in reader.Entries(value, path))
        {
            var at = NodeReader.Join(path, key);
            switch (key)
            {
                case "stripParams": sections.ReadStripParams(item, at, peer.StripParams); break;
                case "setParams": sections.ReadSetParams(item, at, peer.SetParams); break;
                default: reader.UnknownKey(keyNode, key, path, ConfigKeys.PeerFilters, ConfigKeys.None); break;
            }
        }
    }
}
