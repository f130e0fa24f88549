using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Build.Security;

namespace Build.Settings;

/// <summary>Parsers of settings that name a file or folder, or read one.</summary>
public static class FileSettingParsers
{
    /// <summary>A file the run writes: a file path outside the build program's sources, made absolute.</summary>
    public static SettingParser<string?> OutputFile(string example) => new OutputFileParser(example);

    /// <summary>A folder that must exist, made absolute; <paramref name="problem"/> says what to give instead.</summary>
    public static SettingParser<string> ExistingFolder(string problem) => new FolderParser(problem);

    /// <summary>A PEM or DER file of CA certificates (at most 1 MiB, a regular file).</summary>
    public static SettingParser<X509Certificate2Collection?> Certificates { get; } = new CertificateParser();

    /// <summary>A PEM file of Tailscale's ROOT PUBLIC KEY blocks.</summary>
    public static SettingParser<IReadOnlyList<byte[]>?> RootKeys { get; } = new RootKeyParser();

    /// <summary>An http(s) URL to download from; plain http only to loopback.</summary>
    public static SettingParser<Uri> DownloadSite(string example) => new DownloadSiteParser(example);

    private sealed class OutputFileParser(string example) : SettingParser<string?>
    {
        public override string Form => "=PATH";

        public override string? Parse(string text, string option, out string? problem)
        {
            if (text.Length == 0 || text.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || text.EndsWith('/') || Directory.Exists(text))
            {
                problem = $"must be a file path, such as --{option}={example}";
                return null;
            }

            problem = RepositoryRoot.IsAmongBuildInputs(text)
                ? $"is inside build/, the build program's sources (every run would rebuild it); write it elsewhere, such as --{option}={example}"
                : null;
            return Path.GetFullPath(text);
        }
    }

    private sealed class FolderParser(string missing) : SettingParser<string>
    {
        public override string Form => "=DIR";

        public override bool BlankIsUnset => true;

        public override string Parse(string text, string option, out string? problem)
        {
            problem = Directory.Exists(text) ? null : missing;
            return Path.GetFullPath(text);
        }
    }

    /// <summary>A setting that names a file to read (a regular file of at most 1 MiB): its text is the path, its value the file's content.</summary>
    private abstract class FileContentParser<T> : SettingParser<T?>
        where T : class
    {
        public override string Form => "=PATH";

        public override bool BlankIsUnset => true;

        /// <summary>What to give instead, after what was wrong with the file.</summary>
        protected abstract string Wanted { get; }

        /// <summary>Whether spaces around the path are dropped (the tailnet settings trim their values).</summary>
        protected virtual bool TrimsPath => false;

        public override T? Parse(string text, string option, out string? problem)
        {
            var (bytes, unreadable) = SettingsFile.Read(TrimsPath ? text.Trim() : text);
            if (bytes is null)
            {
                problem = $"{unreadable}; {Wanted}";
                return null;
            }

            return ParseContent(bytes, out problem);
        }

        protected abstract T? ParseContent(byte[] bytes, out string? problem);
    }

    private sealed class CertificateParser : FileContentParser<X509Certificate2Collection>
    {
        protected override string Wanted => "give the path of the CA certificate (PEM or DER) that signed the gateway's certificate";

        protected override X509Certificate2Collection? ParseContent(byte[] bytes, out string? problem)
        {
            try
            {
                var collection = new X509Certificate2Collection();
                var pem = System.Text.Encoding.UTF8.GetString(bytes);
                if (pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
                {
                    collection.ImportFromPem(pem);
                }
                else
                {
                    collection.Add(X509CertificateLoader.LoadCertificate(bytes));
                }

                if (collection.Count == 0)
                {
                    throw new CryptographicException("no certificate");
                }

                problem = null;
                return collection;
            }
            catch (CryptographicException)
            {
                problem = "the file holds no readable certificate; give a PEM or DER CA certificate";
                return null;
            }
        }
    }

    private sealed class RootKeyParser : FileContentParser<IReadOnlyList<byte[]>>
    {
        protected override string Wanted => $"give a PEM file of {PackageSignature.RootKeyType} blocks";

        protected override bool TrimsPath => true;

        protected override IReadOnlyList<byte[]>? ParseContent(byte[] bytes, out string? problem)
        {
            try
            {
                problem = null;
                return PackageSignature.ParseKeys(System.Text.Encoding.ASCII.GetString(bytes), PackageSignature.RootKeyType);
            }
            catch (FormatException exception)
            {
                problem = $"not a PEM file of {PackageSignature.RootKeyType} blocks ({exception.Message})";
                return null;
            }
        }
    }

    private sealed class DownloadSiteParser(string example) : SettingParser<Uri>
    {
        public override string Form => string.Empty;

        public override bool BlankIsUnset => true;

        public override Uri Parse(string text, string option, out string? problem)
        {
            problem = null;
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var site) || site.Scheme is not ("https" or "http"))
            {
                problem = $"must be an http(s) URL such as {example}";
                return new Uri(example);
            }

            if (site.Scheme == "http" && !site.IsLoopback)
            {
                problem = "must use https (the download is what tailscaled runs from)";
            }

            return new Uri(site.AbsoluteUri.TrimEnd('/'));
        }
    }
}
