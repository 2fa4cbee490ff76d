namespace TinySwap.Http.Transport;

/// <summary>
/// Runs socket continuations on the runtime's epoll threads (one per core) instead of posting each one to the thread
/// pool. Our pipes already resume their readers inline, so a request is parsed, forwarded and answered on the thread
/// that saw its bytes arrive, as in nginx's event loop: no thread-pool hop, no worker woken per read. Measured on the
/// proxy path: +25% requests/s (README "Performance"). The price is that nothing reached from a socket continuation may
/// block or run long, since it holds up every connection on that epoll thread: our handlers only await, and the
/// CPU-heavy step (scanning and rewriting a large JSON body) moves itself to the thread pool first.
/// </summary>
internal static class InlineSocketCompletions
{
    /// <summary>The runtime's switch: an environment variable, read once when the socket engine first starts.</summary>
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>True when tinyswap set <see cref="Variable"/> itself (then its children must not inherit it).</summary>
    public static bool SetByUs { get; private set; }

    /// <summary>Turns inline completions on unless the environment already decides; call before any socket exists.</summary>
    public static void Enable()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null)
            return;
        Environment.SetEnvironmentVariable(Variable, "1");
        SetByUs = true;
    }

    /// <summary>Drops our own setting from a child's environment: a model server on .NET must not run its handlers inline.</summary>
    public static void RemoveFrom(IDictionary<string, string> childEnvironment)
    {
        if (SetByUs)
            childEnvironment.Remove(Variable);
    }
}
