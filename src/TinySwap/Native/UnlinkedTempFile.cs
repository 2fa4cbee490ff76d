using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace TinySwap.Native;

/// <summary>
/// A temporary file with no name: it exists only as long as its descriptor, so closing it — or the process dying,
/// however it dies — frees the space, and nothing is ever left behind to clean up.
/// </summary>
internal static class UnlinkedTempFile
{
    /// <summary>Opens one in <paramref name="directory"/> for reading and writing; <see cref="IOException"/> says why not.</summary>
    public static unsafe SafeFileHandle Open(string directory)
    {
        var path = Encoding.UTF8.GetBytes(directory + "\0");
        int fd;
        fixed (byte* p = path)
        {
            // O_TMPFILE (Linux 3.11+): an inode with no directory entry from the start. O_EXCL forbids ever giving it a
            // name with linkat; O_CLOEXEC keeps it out of the model servers we spawn.
            fd = Sys.open(p, LibC.O_TMPFILE | LibC.O_RDWR | LibC.O_EXCL | LibC.O_CLOEXEC, 0b110_000_000);
        }
        if (fd < 0)
        {
            var errno = Sys.errno;
            // The filesystem (some FUSE, NFS, overlay setups) or the kernel lacks O_TMPFILE: an old kernel ignores the
            // unknown bit and then refuses to open a directory for writing (EISDIR).
            if (errno is not (LibC.EOPNOTSUPP or LibC.EISDIR or LibC.EINVAL))
                throw new IOException($"cannot create a temporary file in '{directory}': {Errno.Describe(errno)}");
            fd = CreateThenUnlink(directory);
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>mkstemp's way: a fresh random name created exclusively (never follows a planted symlink), unlinked at once.</summary>
    private static unsafe int CreateThenUnlink(string directory)
    {
        var name = Path.Combine(directory, ".tinyswap-upload-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)));
        var path = Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* p = path)
        {
            var fd = Sys.open(p, LibC.O_CREAT | LibC.O_EXCL | LibC.O_RDWR | LibC.O_CLOEXEC, 0b110_000_000);
            if (fd < 0)
                throw new IOException($"cannot create a temporary file in '{directory}': {Errno.Describe(Sys.errno)}");
            if (Sys.unlink(p) != 0)
            {
                var errno = Sys.errno;
                Sys.close(fd);
                throw new IOException($"cannot unlink temporary file '{name}': {Errno.Describe(errno)}");
            }
            return fd;
        }
    }
}
