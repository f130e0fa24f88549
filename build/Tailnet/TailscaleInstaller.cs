using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Build.Gateway;
using Build.Security;
using Build.Settings;

namespace Build.Tailnet;

/// <summary>
/// Installs the pinned tailscale and tailscaled from the release tarball on the packages site. Before
/// anything is extracted, the tarball must carry Tailscale's own signature (verified from the root
/// keys down, as <c>tailscale update</c> does: see <see cref="PackageSignature"/>) and match its
/// published SHA-256 (as tailscale/github-action checks). The install is cached between runs.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TailscaleInstaller(PackageSite site, TailnetSettings settings, string cacheRoot)
{
    private const long MaxDownload = 200L * 1024 * 1024;

    private string _version = settings.Version;

    /// <summary>The version installed: the one asked for, or what "latest" resolved to.</summary>
    public string Version => _version;

    public string InstallDirectory => Path.Combine(cacheRoot, "tailscale", _version, Architecture);

    public static string Architecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        _ => "amd64",
    };

    /// <summary>stable for an even minor version, unstable for an odd one.</summary>
    public static string Track(string version) => int.Parse(version.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0 ? "stable"
        : "unstable";

    public string TarballPath => $"{Track(_version)}/{TarballName}";

    private string TarballName => $"tailscale_{_version}_{Architecture}.tgz";

    /// <summary>
    /// "latest": the stable track's index, <c>/stable/?mode=json</c>, names the current tarballs' version in
    /// <c>TarballsVersion</c> (as tailscale/github-action src/main.ts resolveVersion reads it on Linux). The tarball
    /// of that version is then verified like any other: the index only says which one to fetch.
    /// </summary>
    private async Task ResolveAsync(CancellationToken cancellationToken)
    {
        if (_version != TailnetSettings.LatestVersion)
        {
            return;
        }

        var index = System.Text.Encoding.UTF8.GetString(await site.GetAsync("/stable/?mode=json", 256 * 1024, cancellationToken));
        var version = LenientJson.Text(LenientJson.Parse(index) as Newtonsoft.Json.Linq.JObject, "TarballsVersion");
        if (version is null || !System.Text.RegularExpressions.Regex.IsMatch(version, @"^\d{1,3}\.\d{1,4}\.\d{1,4}$") || Track(version) != "stable")
        {
            throw new CheckFailedException(Failure.Of(FailureClass.TailscaleDownload,
                "the packages site's stable index (/stable/?mode=json) names no stable TarballsVersion"));
        }

        _version = version;
    }

    public async Task<string> EnsureAsync(CancellationToken cancellationToken)
    {
        await ResolveAsync(cancellationToken);
        var directory = InstallDirectory;
        if (File.Exists(Path.Combine(directory, "tailscale")) && File.Exists(Path.Combine(directory, "tailscaled")) && File.Exists(Path.Combine(directory,
            ".verified")))
        {
            return directory;
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new CheckFailedException(Failure.Of(FailureClass.TailscaleNotFound, "tailscale is not on PATH and its tarball is for Linux only"));
        }

        // Always fresh signing keys, checked against the roots before any package (distsign.go signingKeys).
        var bundle = await site.GetAsync("distsign.pub", PackageSignature.SigningKeysSizeLimit, cancellationToken);
        var bundleSignature = await site.GetAsync("distsign.pub.sig", PackageSignature.SignatureSize, cancellationToken);
        IReadOnlyList<byte[]>? signingKeys;
        try
        {
            signingKeys = PackageSignature.TrustedSigningKeys(settings.RootKeys, bundle, bundleSignature);
        }
        catch (FormatException exception)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.PackageSigningKeys, $"distsign.pub is signed but unreadable ({exception.Message})"));
        }

        if (signingKeys is null)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.PackageSigningKeys, $"distsign.pub is not signed by any of the {settings.RootKeysOrigin}"));
        }

        var expected = System.Text.Encoding.UTF8.GetString(await site.GetAsync(TarballPath + ".sha256", 1024, cancellationToken));
        var tarball = await site.GetAsync(TarballPath, MaxDownload, cancellationToken);
        var signature = await site.GetAsync(TarballPath + ".sig", PackageSignature.SignatureSize, cancellationToken);
        var expectedHash = expected.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToLowerInvariant();
        var actualHash = Convert.ToHexStringLower(SHA256.HashData(tarball));
        if (!PackageSignature.VerifyAny(signingKeys, PackageSignature.PackageMessage(tarball), signature))
        {
            // distsign checks an old release against the signing keys of today (clientupdate/distsign/distsign.go):
            // a tarball that is exactly what the site publishes but whose signature no current key verifies was
            // most likely signed by a key that has since rotated out.
            var published = expectedHash is not null && expectedHash == actualHash;
            throw new CheckFailedException(published
                ? new Failure(FailureClass.PackageSignature.Id,
                    $"{TarballName}.sig does not verify with the site's current signing keys, although the tarball matches its published SHA-256: the " +
                        $"signing keys have likely rotated since {_version} was signed",
                        $"Use a newer --tailscale-version (the default is {TailnetSettings.DefaultVersion}, checked " +
                                $"{TailnetSettings.DefaultVersionChecked}); never skip the check.")
                : Failure.Of(FailureClass.PackageSignature, $"{TarballName}.sig does not verify with the current signing keys"));
        }

        if (expectedHash is null || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(actualHash),
            System.Text.Encoding.ASCII.GetBytes(expectedHash)))
        {
            throw new CheckFailedException(Failure.Of(FailureClass.ChecksumMismatch,
                $"{TarballName} has SHA-256 {actualHash[..12]}…, the published one differs"));
        }

        var staging = directory + ".partial-" + Environment.ProcessId;
        try
        {
            Directory.CreateDirectory(staging);
            await ExtractAsync(tarball, staging, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(staging, ".verified"), actualHash, cancellationToken);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
            Directory.Move(staging, directory);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return directory;
    }

    internal static async Task ExtractAsync(byte[] tarball, string target, CancellationToken cancellationToken)
    {
        await using var gzip = new GZipStream(new MemoryStream(tarball), CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        // tailscale clientupdate/clientupdate.go, unpackLinuxTarball: exactly one of each binary (wantFiles); a second
        // "tailscale" (another folder in the tarball) is refused, not allowed to replace the first.
        var found = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var name = Path.GetFileName(entry.Name);
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && name is "tailscale" or "tailscaled")
            {
                if (!found.Add(name))
                {
                    throw new CheckFailedException(Failure.Of(FailureClass.TailscaleDownload, $"the tarball holds more than one {name}"));
                }

                var path = Path.Combine(target, name);
                await entry.ExtractToFileAsync(path, overwrite: true, cancellationToken);
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
        }

        if (found.Count != 2)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.TailscaleDownload, "the tarball lacks tailscale or tailscaled"));
        }
    }
}
