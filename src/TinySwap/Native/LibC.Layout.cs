using System.Runtime.InteropServices;

namespace TinySwap.Native;

// Sizes and offsets of the C structs we pass to libc. The glibc structs are treated as opaque buffers of
// the header's size (we only ever hand their address to the functions that own them); where we read or
// write a field, its offset is pinned here too. Checked against the headers by the Native tests.
internal static partial class LibC
{
    [CValue("sizeof(posix_spawnattr_t)")] public const int SizeOfPosixSpawnAttr = 336;
    [CValue("sizeof(posix_spawn_file_actions_t)")] public const int SizeOfPosixSpawnFileActions = 80;
    [CValue("sizeof(sigset_t)")] public const int SizeOfSigSet = 128;
    [CValue("sizeof(struct sigaction)")] public const int SizeOfSigAction = 152;
    [CValue("offsetof(struct sigaction, sa_handler)")] public const int OffsetOfSigActionHandler = 0;
    [CValue("sizeof(struct pollfd)")] public const int SizeOfPollFd = 8;
    [CValue("offsetof(struct pollfd, events)")] public const int OffsetOfPollFdEvents = 4;
    [CValue("offsetof(struct pollfd, revents)")] public const int OffsetOfPollFdRevents = 6;
    [CValue("sizeof(struct sockaddr_in)")] public const int SizeOfSockAddrIn = 16;
    [CValue("offsetof(struct sockaddr_in, sin_port)")] public const int OffsetOfSockAddrInPort = 2;
    [CValue("offsetof(struct sockaddr_in, sin_addr)")] public const int OffsetOfSockAddrInAddr = 4;
    [CValue("sizeof(struct sockaddr_in6)")] public const int SizeOfSockAddrIn6 = 28;
    [CValue("offsetof(struct sockaddr_in6, sin6_port)")] public const int OffsetOfSockAddrIn6Port = 2;
    [CValue("offsetof(struct sockaddr_in6, sin6_addr)")] public const int OffsetOfSockAddrIn6Addr = 8;
    [CValue("sizeof(int)")] public const int SizeOfInt = 4;
}

[StructLayout(LayoutKind.Sequential, Size = LibC.SizeOfPosixSpawnAttr)]
internal struct PosixSpawnAttr;

[StructLayout(LayoutKind.Sequential, Size = LibC.SizeOfPosixSpawnFileActions)]
internal struct PosixSpawnFileActions;

[StructLayout(LayoutKind.Sequential, Size = LibC.SizeOfSigSet)]
internal struct SigSet;

[StructLayout(LayoutKind.Explicit, Size = LibC.SizeOfSigAction)]
internal struct SigAction
{
    /// <summary>sa_handler (a union with sa_sigaction): SIG_DFL, SIG_IGN or a function pointer.</summary>
    [FieldOffset(LibC.OffsetOfSigActionHandler)] public nint Handler;
}

[StructLayout(LayoutKind.Explicit, Size = LibC.SizeOfPollFd)]
internal struct PollFd
{
    [FieldOffset(0)] public int Fd;
    [FieldOffset(LibC.OffsetOfPollFdEvents)] public short Events;
    [FieldOffset(LibC.OffsetOfPollFdRevents)] public short Revents;
}

[StructLayout(LayoutKind.Explicit, Size = LibC.SizeOfSockAddrIn)]
internal struct SockAddrIn
{
    [FieldOffset(0)] public ushort Family;
    /// <summary>Network byte order.</summary>
    [FieldOffset(LibC.OffsetOfSockAddrInPort)] public ushort Port;
    [FieldOffset(LibC.OffsetOfSockAddrInAddr)] public uint Address;
}

[StructLayout(LayoutKind.Explicit, Size = LibC.SizeOfSockAddrIn6)]
internal unsafe struct SockAddrIn6
{
    [FieldOffset(0)] public ushort Family;
    /// <summary>Network byte order.</summary>
    [FieldOffset(LibC.OffsetOfSockAddrIn6Port)] public ushort Port;
    [FieldOffset(LibC.OffsetOfSockAddrIn6Addr)] public fixed byte Address[16];
}
