using static TinySwap.Config.Keys.KeyOrigin;

namespace TinySwap.Config.Keys;

/// <summary>
/// `upstream:` and `models.ID.compat:`: which requests to `/upstream/{model}/…` may start their model, and which count
/// as its use (a web UI's assets and WebSockets should not swap models under the user's feet).
/// </summary>
internal static class UpstreamKeys
{
    public static readonly ConfigSection<RawConfig> Section = new("upstream", "Upstream passthrough",
    [
        new("ignorePaths", LlamaSwap, "`.*\\.(js\\|json\\|css\\|png\\|gif\\|jpg\\|jpeg\\|ico\\|txt)$`",
            "regular expressions (RE2 syntax, unanchored) tried on the path after `/upstream/{model}`: a match is served only while the model runs, and never starts or swaps one (409); an empty list keeps the default",
            (at, c, v) => c.IgnorePaths.AddRange(RawConfigReader.Located(at.Reader.StringList(v, at.Path)))),
    ]);

    /// <summary>llama-swap's id for the model behind its /comfyui/ route: `compat.ignoreWebsockets` is always on for it.</summary>
    public const string ComfyUiModelId = "comfyui_auto";

    public static readonly ConfigSection<RawModel> Compat = new("models.ID.compat", "Model compatibility",
    [
        Key.Bool<RawModel>("ignoreWebsockets", LlamaSwap, false, (m, v) => m.IgnoreWebsockets = v,
            "a WebSocket to this model never starts it (409 while it is stopped) and is not counted: no concurrency slot, no TTL activity, no hold on a swap; always on for a model named `comfyui_auto`"),
    ]);
}
