using System.Diagnostics;
using Build.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Build.Tests.EndToEnd;

/// <summary>Output paths from outside: a run writes a new or regular file in an existing folder, and nowhere else.</summary>
[TestFixture]
[Order(12)]
public sealed class OutputPathTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("verify-outputs-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private static BuildRun Harden(params string[] arguments) => BuildRun.Start(["--target=Harden", "--exclusive", .. arguments], withReport: false);

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), process.StandardError.ReadToEnd());
    }

    [Test]
    public void A_pipe_at_an_output_path_is_refused_and_stays_a_pipe()
    {
        var fifo = Path.Combine(_folder, "report.json");
        Run("mkfifo", fifo);

        var run = Harden($"--report={fifo}");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError, Does.Contain("--report: the path exists and is not a regular file (a device or a pipe); it is never replaced"));
        Assert.That(File.GetAttributes(fifo), Is.Not.EqualTo(FileAttributes.Directory));
        Assert.That(new FileInfo(fifo).Length, Is.EqualTo(0));
        Run("test", "-p", fifo);
    }

    [Test]
    public void A_device_node_at_an_output_path_is_refused_and_stays_a_device()
    {
        if (Environment.UserName != "root")
        {
            Assert.Ignore("mknod needs root");
        }

        var device = Path.Combine(_folder, "null");
        Run("mknod", device, "c", "1", "3");

        var run = Harden($"--junit={device}");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError, Does.Contain("--junit: the path exists and is not a regular file"));
        Run("test", "-c", device);
    }

    [Test]
    public void A_link_at_an_output_path_is_refused_and_its_target_untouched()
    {
        var target = Path.Combine(_folder, "precious.txt");
        File.WriteAllText(target, "keep me");
        var link = Path.Combine(_folder, "report.json");
        File.CreateSymbolicLink(link, target);

        var run = Harden($"--report={link}");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError, Does.Contain("--report: the path exists and is not a regular file (a link)"));
        Assert.That(File.ReadAllText(target), Is.EqualTo("keep me"));
    }

    [Test]
    public void Links_planted_under_the_names_a_writer_could_predict_are_never_followed()
    {
        var target = Path.Combine(_folder, "precious.txt");
        File.WriteAllText(target, "keep me");
        var report = Path.Combine(_folder, "report.json");
        foreach (var pid in Enumerable.Range(Environment.ProcessId, 2000))
        {
            // The names the writer and the probe once used: <path>.<pid>.tmp and <path>.<pid>.probe.
            File.CreateSymbolicLink($"{report}.{pid}.tmp", target);
            File.CreateSymbolicLink($"{report}.{pid}.probe", target);
        }

        var run = Harden($"--report={report}");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(File.ReadAllText(target), Is.EqualTo("keep me"));
        Assert.That((string?)JObject.Parse(File.ReadAllText(report))["status"], Is.EqualTo("passed"));
        Assert.That(Directory.GetFiles(_folder, "*.tmp").Where(file => new FileInfo(file).LinkTarget is null), Is.Empty, "a temporary file was left behind");
    }

    [Test]
    public void One_path_for_two_outputs_is_refused_naming_both()
    {
        var path = Path.Combine(_folder, "out.json");

        var run = Harden($"--report={path}", $"--junit={path}");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError, Does.Contain("--report and --junit: the same file is given for each; give each output its own path"));
    }

    [Test]
    public void A_folder_that_does_not_exist_is_refused_and_not_made()
    {
        var missing = Path.Combine(_folder, "missing", "report.json");

        var run = Harden($"--sarif={missing}");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError, Does.Contain("--sarif: cannot be written there: its folder does not exist"));
        Assert.That(Directory.Exists(Path.GetDirectoryName(missing)), Is.False);
    }

    [Test]
    public void Every_output_path_problem_is_listed_in_one_run()
    {
        var fifo = Path.Combine(_folder, "pipe");
        Run("mkfifo", fifo);

        var run = Harden($"--report={fifo}", $"--junit={Path.Combine(_folder, "no", "junit.xml")}", $"--sarif={Path.Combine(_folder, "no", "harden.sarif")}");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.StandardError, Does.Contain("--report: the path").And.Contain("--junit: cannot").And.Contain("--sarif: cannot").And.Contain("3 setting problem(s)"));
    }

    [Test]
    public void A_settings_error_replaces_a_green_report_from_an_earlier_run()
    {
        var report = Path.Combine(_folder, "report.json");
        Assert.That(Harden($"--report={report}").ExitCode, Is.EqualTo(0));
        Assert.That((string?)JObject.Parse(File.ReadAllText(report))["status"], Is.EqualTo("passed"));

        var run = Harden($"--report={report}", "--deadline=soon");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        var stale = JObject.Parse(File.ReadAllText(report));
        Assert.That(((string?)stale["status"], (string?)stale["reason"]), Is.EqualTo(("failed", "settings")));
        Assert.That((string?)stale["message"], Is.EqualTo("1 setting problem(s), listed above; no check ran"));
    }
}
