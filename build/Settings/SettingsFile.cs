namespace Build.Settings;

/// <summary>
/// A file named by a setting (a CA certificate, Tailscale root keys): a regular file of at most 1 MiB,
/// read once. A FIFO would hang the run, /dev/zero would eat memory, and <c>&lt;(cat ca.pem)</c> can
/// be read only once.
/// </summary>
public static class SettingsFile
{
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The file's bytes, or a problem (never the file's contents) saying why not.</summary>
    public static (byte[]? Bytes, string? Problem) Read(string path)
    {
        try
        {
            FileSystemInfo info = new FileInfo(path);
            if (!info.Exists)
            {
                return (null, Directory.Exists(path) ? "is a folder, not a file" : "no such file");
            }

            // .NET does not expose the file type; stat gives pipes, sockets and devices a size of 0,
            // and a pipe behind /dev/fd (process substitution) resolves to no file at all.
            if (info.LinkTarget is not null)
            {
                info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            }

            if (info is not FileInfo { Exists: true } file || file.Length == 0)
            {
                return (null, "is empty or not a regular file (a pipe or a device); give the path of a regular file");
            }

            if (file.Length > MaxBytes)
            {
                return (null, $"is larger than {MaxBytes / 1024 / 1024} MiB");
            }

            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[file.Length + 1];
            var total = 0;
            while (total < buffer.Length)
            {
                var read = stream.Read(buffer, total, buffer.Length - total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total > file.Length ? (null, "changed while it was read") : (buffer[..total], null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return (null, "cannot be read (permissions?)");
        }
    }
}
