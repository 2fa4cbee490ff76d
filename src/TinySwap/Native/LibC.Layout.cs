using System.Runtime.InteropServices;

namespace TinySwap.Native;

// Sizes of the glibc structs we pass to the calls Tmds.LibC lacks (its own structs cover the rest). They are
// opaque buffers of the header's size: we only ever hand their address to the functions that own them.
// Checked against the headers by the Native tests.
internal static partial class LibC
{
    [CValue("sizeof(posix_spawnattr_t)")] public const int SizeOfPosixSpawnAttr = 336;
    [CValue("sizeof(posix_spawn_file_actions_t)")] public const int SizeOfPosixSpawnFileActions = 80;
}

[StructLayout(LayoutKind.Sequential, Size = LibC.SizeOfPosixSpawnAttr)]
internal struct PosixSpawnAttr;

[StructLayout(LayoutKind.Sequential, Size = LibC.SizeOfPosixSpawnFileActions)]
internal struct PosixSpawnFileActions;
