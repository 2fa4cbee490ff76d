using System.Text.Json;
using TinySwap.Config;

namespace TinySwap.Api;

/// <summary>
/// A peer model in /v1/models: id `PEER/MODEL`, name `PEER: MODEL` and <c>meta.llamaswap</c> <c>{"type":"peer","peerID":…}</c>
/// as llama-swap lists it; <c>owned_by</c> is the peer (llama-swap writes "llama-swap" for every entry, which hides where a
/// model runs). No <c>state</c>: whether the peer has it loaded is the peer's business.
/// </summary>
internal static class PeerListEntry
{
    public static void Write(Utf8JsonWriter writer, string id, PeerModel model, long createdUnixSeconds)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, id);
        writer.WriteString("object"u8, "model"u8);
        writer.WriteNumber("created"u8, createdUnixSeconds);
        writer.WriteString("owned_by"u8, model.Peer.Id);
        writer.WriteString("name"u8, $"{model.Peer.Id}: {model.ModelId}");
        writer.WriteStartObject("meta"u8);
        writer.WriteStartObject("llamaswap"u8);
        writer.WriteString("type"u8, "peer"u8);
        writer.WriteString("peerID"u8, model.Peer.Id);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
