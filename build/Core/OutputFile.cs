using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Build.Core;

/// <summary>
/// Writes a file whole or not at all, and only where it was meant to go: the text goes into a new file with an
/// unpredictable name, created exclusively (O_CREAT|O_EXCL, which follows no planted link) in the target's
/// folder, and is then renamed over the target. A target that exists and is not a regular file (a folder,
/// a device, a pipe, a link) is refused, never replaced.
/// </summary>
public static class OutputFile
{
    public enum Kind
    {
        Missing,
        Regular,
        Directory,
        Link,
        Other,
    }

    public static void WriteAllText(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        if (KindOf(full) is not (Kind.Missing or Kind.Regular))
        {
            throw new IOException("the path exists and is not a regular file");
        }

        var temporary = CreateExclusive(folder, Path.GetFileName(full), out var stream);
        try
        {
            using (stream)
            {
                stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            // Only the file this call created: after the rename it is gone.
            File.Delete(temporary);
        }
    }

    /// <summary>Whether a new file can be created in <paramref name="folder"/>: the same exclusive creation, then removed.</summary>
    public static bool CanCreateIn(string folder)
    {
        try
        {
            var probe = CreateExclusive(folder, "probe", out var stream);
            stream.Dispose();
            File.Delete(probe);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>What is at <paramref name="path"/>, without following a link at its last component.</summary>
    public static Kind KindOf(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return Kind.Link;
        }

        if (Directory.Exists(path))
        {
            return Kind.Directory;
        }

        if (!info.Exists)
        {
            return Kind.Missing;
        }

        return UnixFileType(path) is { } type ? (type == RegularFile ? Kind.Regular : Kind.Other) : Kind.Regular;
    }

    private static string CreateExclusive(string folder, string name, out FileStream stream)
    {
        var path = Path.Combine(folder, $".{name}.{RandomNumberGenerator.GetHexString(16, lowercase: true)}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        stream = new FileStream(path, options);
        return path;
    }

    private const int RegularFile = 0x8000; // S_IFREG
    private const int FileTypeMask = 0xF000; // S_IFMT

    /// <summary>
    /// The file type bits of <c>lstat</c>: .NET does not tell a device or a pipe from a regular file. Linux: statx,
    /// whose layout is the same on every architecture (stx_mode, 16 bits at byte 28); macOS: lstat (st_mode, 16 bits
    /// at byte 4). Null where neither applies (Windows has no such files in its file system).
    /// </summary>
    private static int? UnixFileType(string path)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                var buffer = new byte[256];
                const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100, StatxType = 0x1;
                return Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) == 0 ? BitConverter.ToUInt16(buffer, 28) & FileTypeMask : null;
            }

            if (OperatingSystem.IsMacOS())
            {
                var buffer = new byte[256];
                return Lstat(path, buffer) == 0 ? BitConverter.ToUInt16(buffer, 4) & FileTypeMask : null;
            }
        }
        catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException)
        {
        }

        return null;
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
    private static extern int Lstat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);
}
