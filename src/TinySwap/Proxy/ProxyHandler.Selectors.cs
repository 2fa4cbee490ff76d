using TinySwap.Config;
using TinySwap.Contracts;
using TinySwap.Http;
using TinySwap.Proxy.Selectors;

namespace TinySwap.Proxy;

internal sealed partial class ProxyHandler
{
    /// <summary>
    /// The selector step, after name lookup found no model for <paramref name="requested"/>: when it names a selector,
    /// the pick (to release when the response ends) and the model its target names, found by the same lookup a
    /// request naming the target gets. Null model: the error to answer.
    /// </summary>
    private ModelConfig? Select(ProxyCatalog current, ReadOnlySpan<char> requested, out SelectorPick pick, ref OpenAiErrorKind problem, ref string? message) =>
        current.Selectors.TrySelect(requested, _states, out pick) ? FindTarget(current, pick, ref problem, ref message) : null;

    /// <summary><see cref="Select"/> for a UTF-8 name (a multipart field, a query).</summary>
    private ModelConfig? SelectUtf8(ProxyCatalog current, ReadOnlySpan<byte> requested, out SelectorPick pick, ref OpenAiErrorKind problem, ref string? message) =>
        current.Selectors.TrySelectUtf8(requested, _states, out pick) ? FindTarget(current, pick, ref problem, ref message) : null;

    private ModelConfig? FindTarget(ProxyCatalog current, in SelectorPick pick, ref OpenAiErrorKind problem, ref string? message)
    {
        if (pick.Target is not { } target)
        {
            (problem, message) = (OpenAiError.ServiceUnavailable, pick.Problem);
            return null;
        }
        SelectorLog.Selected(logger, pick.Selector.Id, target);
        // A peer model target is found here once peers are routed; until then it answers as a request naming it does.
        var model = current.Names.Find(target);
        if (model is null)
            (problem, message) = (OpenAiError.ModelNotFound, current.Names.UnknownModelMessage(target));
        return model;
    }

    /// <summary>Without a router (tests of the front door alone) every model reads as stopped.</summary>
    private sealed class StoppedModels : IModelStateReader
    {
        public static readonly StoppedModels Instance = new();

        public ModelState StateOf(string modelId) => ModelState.Stopped;
    }
}
