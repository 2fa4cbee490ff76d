using System.Runtime.InteropServices;

namespace TinySwap.Cli;

/// <summary>
/// SIGTERM/SIGINT become one "stop" notification; SIGHUP becomes a reload request instead of killing us (its
/// default action), so `systemctl reload` is safe. A second SIGTERM/SIGINT gets the runtime's default: exit now.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly TaskCompletionSource<PosixSignal> _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal(Action onReload)
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStop),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStop),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                onReload();
            }),
        ];
    }

    /// <summary>Completes with the first stop signal received.</summary>
    public Task<PosixSignal> Stopping => _stop.Task;

    private void OnStop(PosixSignalContext context) => context.Cancel = _stop.TrySetResult(context.Signal);

    public static string Name(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGTERM => "SIGTERM",
        PosixSignal.SIGINT => "SIGINT",
        _ => signal.ToString(),
    };

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
    }
}
