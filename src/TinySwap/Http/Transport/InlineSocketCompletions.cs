namespace TinySwap.Http.Transport;

/// <summary>
/// Runs socket continuations on the runtime's epoll thread, one for the process, instead of posting each one to the
/// thread pool. Our pipes already resume their readers inline, so a request is parsed, forwarded and answered on the
/// thread that saw its bytes arrive, as in nginx's single-worker event loop: no thread-pool hop, no worker woken per
/// read. One event thread, not the one per core the runtime would start in this mode: that is the runtime's default
/// engine count below 30 cores anyway, and on 2 cores two loops competing with the router and the model servers made
/// wrk's p99 latency 10× worse. Measurements in README "Performance".
/// The price: nothing reached from a socket continuation may block or run long, since it holds up every connection.
/// Our handlers only await, and the CPU-heavy step (scanning and rewriting a large JSON body) moves itself to the
/// thread pool first. Connections have since moved to our own loop (<see cref="ReadinessLoop"/>, same inline rule);
/// the runtime's engine still carries accepts.
/// </summary>
internal static class InlineSocketCompletions
{
    /// <summary>The runtime's switches: environment variables, read once when its socket engine first starts.</summary>
    public static readonly KeyValuePair<string, string>[] Settings =
    [
        new("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1"),
        new("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", "1"),
    ];

    private static readonly List<string> s_setByUs = [];

    /// <summary>
    /// Turns inline completions on unless the environment already decides (each variable the user set is left
    /// alone); call before any socket exists.
    /// </summary>
    public static void Enable()
    {
        foreach (var (name, value) in Settings)
        {
            if (Environment.GetEnvironmentVariable(name) is not null)
                continue;
            Environment.SetEnvironmentVariable(name, value);
            lock (s_setByUs)
                s_setByUs.Add(name);
        }
    }

    /// <summary>Drops our own settings from a child's environment: a model server on .NET must not run its handlers inline.</summary>
    public static void RemoveFrom(IDictionary<string, string> childEnvironment)
    {
        lock (s_setByUs)
        {
            foreach (var name in s_setByUs)
                childEnvironment.Remove(name);
        }
    }
}
