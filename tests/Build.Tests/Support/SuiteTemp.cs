namespace Build.Tests.Support;

/// <summary>
/// One temp folder for the whole suite: TMPDIR points there while it runs, so the work folders of about 200 runs, the
/// fixtures' folders and whatever the processes the suite starts put in the temp folder (the .NET runtime's diagnostic
/// pipes of a stand-in killed at teardown, say) land in it, and it is removed when the suite ends. A run of the suite
/// leaves nothing in /tmp; the folder of a test host that ended without the suite's teardown goes with the next run.
/// </summary>
public static class SuiteTemp
{
    private const string Variable = "TMPDIR";

    // build-tests-PID-XXXXXX: the test host that made it.
    private const string Prefix = "build-tests-";

    private static string? _outer;
    private static string? _root;

    public static void Open()
    {
        _outer = Environment.GetEnvironmentVariable(Variable);
        RemoveStale();
        _root = Directory.CreateTempSubdirectory($"{Prefix}{Environment.ProcessId}-").FullName;
        Environment.SetEnvironmentVariable(Variable, _root);
    }

    public static void Close()
    {
        Environment.SetEnvironmentVariable(Variable, _outer);
        try
        {
            if (_root is not null && Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Every test has passed or failed by now: a folder that cannot go is worth a line, not a failed run.
            TestContext.Progress.WriteLine($"The suite's temp folder {_root} was not removed: {exception.Message}");
        }

        _root = null;
    }

    /// <summary>
    /// The folders of test hosts that ended without the suite's teardown (Stryker's, or one killed): removed once no
    /// process has their number.
    /// </summary>
    private static void RemoveStale()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(folder)[Prefix.Length..].Split('-')[0], out var pid) || IsRunning(pid))
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Another user's, or going away under a second suite's sweep: not this suite's to remove.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
