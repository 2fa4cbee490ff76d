namespace TinySwap.Http.Transport;

/// <summary>
/// How much the next read of a connection asks for. A read that filled its buffer left more waiting (an upload, a fast
/// stream): ask for twice as much next time, up to <see cref="Max"/>, so a bulk body costs a quarter of the recv(2)
/// calls. A short read goes back to <see cref="Min"/>, so an idle connection waits on a small buffer.
/// </summary>
internal static class ReceiveSizing
{
    public const int Min = 4096;
    public const int Max = 32 * 1024;

    public static int Next(int current, int received, int asked) => received == asked ? Math.Min(current * 2, Max) : Min;
}
