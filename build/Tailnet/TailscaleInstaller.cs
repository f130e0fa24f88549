using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Build.Gateway;

namespace Build.Tailnet;

/// <summary>
/// Installs the pinned tailscale and tailscaled the way tailscale/github-action does: the release
/// tarball from the packages site, checked against its published SHA-256, cached between runs.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TailscaleInstaller(HttpClient http, TailnetSettings settings, string cacheRoot)
{
    private const long MaxDownload = 200L * 1024 * 1024;

    public string InstallDirectory => Path.Combine(cacheRoot, "tailscale", settings.Version, Architecture);

    public static string Architecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        _ => "amd64",
    };

    /// <summary>stable for an even minor version, unstable for an odd one.</summary>
    public static string Track(string version) => int.Parse(version.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0 ? "stable" : "unstable";

    public Uri TarballUrl => new($"{settings.Packages.AbsoluteUri.TrimEnd('/')}/{Track(settings.Version)}/tailscale_{settings.Version}_{Architecture}.tgz");

    public async Task<string> EnsureAsync(CancellationToken cancellationToken)
    {
        var directory = InstallDirectory;
        if (File.Exists(Path.Combine(directory, "tailscale")) && File.Exists(Path.Combine(directory, "tailscaled")) && File.Exists(Path.Combine(directory, ".verified")))
        {
            return directory;
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new CheckFailedException(Failure.Of(FailureClass.TailscaleNotFound, "tailscale is not on PATH and its tarball is for Linux only"));
        }

        var expected = await DownloadTextAsync(new Uri(TarballUrl.AbsoluteUri + ".sha256"), cancellationToken);
        var expectedHash = expected.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToLowerInvariant();
        var tarball = await DownloadAsync(TarballUrl, cancellationToken);
        var actualHash = Convert.ToHexStringLower(SHA256.HashData(tarball));
        if (expectedHash is null || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(actualHash), System.Text.Encoding.ASCII.GetBytes(expectedHash)))
        {
            throw new CheckFailedException(Failure.Of(FailureClass.ChecksumMismatch, $"tailscale_{settings.Version}_{Architecture}.tgz has SHA-256 {actualHash[..12]}…, the published one differs"));
        }

        var staging = directory + ".partial-" + Environment.ProcessId;
        Directory.CreateDirectory(staging);
        await ExtractAsync(tarball, staging, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(staging, ".verified"), actualHash, cancellationToken);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        Directory.Move(staging, directory);
        return directory;
    }

    private static async Task ExtractAsync(byte[] tarball, string target, CancellationToken cancellationToken)
    {
        await using var gzip = new GZipStream(new MemoryStream(tarball), CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        var found = 0;
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var name = Path.GetFileName(entry.Name);
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && name is "tailscale" or "tailscaled")
            {
                var path = Path.Combine(target, name);
                await entry.ExtractToFileAsync(path, overwrite: true, cancellationToken);
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                found++;
            }
        }

        if (found != 2)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.TailscaleDownload, "the tarball lacks tailscale or tailscaled"));
        }
    }

    private async Task<string> DownloadTextAsync(Uri url, CancellationToken cancellationToken) =>
        System.Text.Encoding.UTF8.GetString(await DownloadAsync(url, cancellationToken));

    private async Task<byte[]> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CheckFailedException(Failure.Of(FailureClass.TailscaleDownload, $"{url.AbsolutePath} answered {(int)response.StatusCode}"));
            }

            if (response.Content.Headers.ContentLength > MaxDownload)
            {
                throw new CheckFailedException(Failure.Of(FailureClass.TailscaleDownload, $"{url.AbsolutePath} is larger than expected"));
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new CheckFailedException(exception is Security.EgressBlockedException
                ? Failure.Of(FailureClass.EgressBlocked)
                : Failure.Of(FailureClass.TailscaleDownload, $"{url.AbsolutePath} could not be fetched ({exception.HttpRequestError})"));
        }
    }
}
