
using TinySwap.Contracts;

namespace TinySwap.Api;

/// <summary>The lower-case state names the API shows (llama-swap's, plus sleeping and failed).</summary>
internal static class ModelStateNames
{
    public static ReadOnlySpan<byte> Utf8(ModelState state) => state switch
    {
        ModelState.Stopped => "stopped"u8,
        ModelState.Starting => "starting"u8,
        ModelState.Ready => "ready"u8,
        ModelState.Sleeping => "sleeping"u8,
        ModelState.Stopping => "stopping"u8,
        ModelState.Failed => "failed"u8,
        ModelState.ShutDown => "shutdown"u8,
        _ => "unknown"u8,
    };

    public static string Text(ModelState state) => System.Text.Encoding.ASCII.GetString(Utf8(state));

    /// <summary>A server process exists (or is being started or stopped): the model belongs in /running.</summary>
    public static bool HasProcess(ModelState state)
        => state is ModelState.Starting or ModelState.Ready or ModelState.Sleeping or ModelState.Stopping;
}
