namespace Build.Settings;

/// <summary>
/// The repository this build belongs to: the folder of build.sh and global.json, found upward from
/// the running program (build/bin/cake/Build.dll), so that relative defaults mean the same thing
/// from any working directory.
/// </summary>
public static class RepositoryRoot
{
    public static string? Path { get; } = Find(AppContext.BaseDirectory);

    /// <summary>The build program's sources: nothing the program writes may land here, or every run would rebuild.</summary>
    public static string? BuildInputs => Path is null ? null : System.IO.Path.Combine(Path, "build");

    public static string? Find(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "build.sh")) && File.Exists(System.IO.Path.Combine(directory.FullName, "global.json")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>A default path, relative to the repository when it is known, else to the working directory.</summary>
    public static string Resolve(string relative) => Path is null ? System.IO.Path.GetFullPath(relative) : System.IO.Path.Combine(Path, relative);

    /// <summary>True when the path is inside build/ (bin/ and obj/ included: they hold the built program).</summary>
    public static bool IsAmongBuildInputs(string path) =>
        BuildInputs is { } inputs
        && System.IO.Path.GetFullPath(path).StartsWith(inputs + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
