using System.Diagnostics;

namespace Build.Tests.Support;

/// <summary>
/// A copy of the repository's files (tracked and new, as git lists them) in a temporary folder, with the program
/// the checkout's build.sh built (build/bin/cake, its stamp made newer than every input): the SharedCopy most runs
/// use, and one per fixture that changes build inputs or rebuilds the program, so no run sees another's rebuild and
/// the checkout under test is never written.
/// </summary>
public sealed class RepositoryCopy : IDisposable
{
    private RepositoryCopy(string root) => Root = root;

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <param name="prefix">The start of the copy's folder name (a checkout's path can hold any character).</param>
    public static RepositoryCopy Create(string prefix = "verify-repository-")
    {
        WarmBuild.Ensure();
        var root = Directory.CreateTempSubdirectory(prefix).FullName;
        var list = new ProcessStartInfo("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var git = Process.Start(list)!;
        var files = git.StandardOutput.ReadToEnd().Split('\0', StringSplitOptions.RemoveEmptyEntries);
        if (!git.WaitForExit(TimeSpan.FromSeconds(30)) || git.ExitCode != 0)
        {
            throw new InvalidOperationException("git ls-files failed in the repository");
        }

        foreach (var file in files)
        {
            var source = Repository.PathOf(file);
            if (!File.Exists(source))
            {
                continue; // deleted in the work tree, not yet in git
            }

            var target = Path.Combine(root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(source));
        }

        // The built program, as build.sh left it (WarmBuild built it first); the copy starts warm.
        var program = Repository.PathOf("build/bin/cake");
        foreach (var file in Directory.EnumerateFiles(program, "*", SearchOption.AllDirectories).Where(file => !file.Contains("/.audit-cache/", StringComparison.Ordinal)))
        {
            var target = Path.Combine(root, Path.GetRelativePath(Repository.Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        // build/obj exists after any build (creating it later would change build/ itself, a change to build.sh).
        Directory.CreateDirectory(Path.Combine(root, "build/obj"));
        File.SetLastWriteTimeUtc(Path.Combine(root, "build/bin/cake/.built"), DateTime.UtcNow);
        return new RepositoryCopy(root);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process the test started may still hold a file for a moment; the temp folder is cleaned later.
        }
    }
}
