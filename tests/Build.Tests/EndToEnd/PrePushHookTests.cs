using System.Diagnostics;
using Build.Tests.Support;

namespace Build.Tests.EndToEnd;

/// <summary>
/// The pre-push hook checks the commits being pushed, as git hands them to it on standard input
/// ("&lt;local ref&gt; &lt;local sha&gt; &lt;remote ref&gt; &lt;remote sha&gt;" per line, githooks(5)), whatever the working tree holds.
/// </summary>
[TestFixture]
[Order(13)]
public sealed class PrePushHookTests
{
    private const string Zero = "0000000000000000000000000000000000000000";
    private string _repository = null!;

    [SetUp]
    public void CreateRepository()
    {
        _repository = Directory.CreateTempSubdirectory("verify-push-").FullName;
        Git("init", "-q", "-b", "main");
        Git("config", "user.email", "dev@example.com");
        Git("config", "user.name", "Dev");
        Directory.CreateDirectory(Path.Combine(_repository, ".github", "workflows"));
    }

    [TearDown]
    public void RemoveRepository() => Directory.Delete(_repository, recursive: true);

    private string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git", arguments) { WorkingDirectory = _repository, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), $"git {string.Join(' ', arguments)}: {process.StandardError.ReadToEnd()}");
        return output.Trim();
    }

    private void Workflow(string fixture, string name) =>
        File.Copy(Repository.PathOf($"tests/Build.Tests/Fixtures/Workflows/{fixture}.yml"), Path.Combine(_repository, ".github", "workflows", name), overwrite: true);

    private string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
        return Git("rev-parse", "HEAD");
    }

    private (int ExitCode, string Output) Push(string lines, params (string Name, string Value)[] environment) =>
        PushWith(Repository.PathOf(".githooks/pre-push"), lines, environment);

    /// <summary>Runs <paramref name="hook"/> (the checkout's unless a test names another copy's) as git runs pre-push.</summary>
    private (int ExitCode, string Output) PushWith(string hook, string lines, params (string Name, string Value)[] environment)
    {
        WarmBuild.Ensure();
        var start = new ProcessStartInfo(hook, ["origin", "https://example.invalid/repo.git"])
        {
            WorkingDirectory = _repository,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in new[] { "LITELLM_URL", "LITELLM_HOST", "LITELLM_API_KEY", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["VERIFY_READY_TO_RUN"] = "0";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Write(lines);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(120_000), Is.True, "the hook did not finish");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [Test]
    public void A_pushed_bad_workflow_is_blocked_even_when_the_working_tree_no_longer_has_it()
    {
        Workflow("clean", "ci.yml");
        Workflow("unpinned-uses.bad", "bad.yml");
        var bad = Commit("add a bad workflow");
        File.Delete(Path.Combine(_repository, ".github", "workflows", "bad.yml"));

        var (exitCode, output) = Push($"refs/heads/main {bad} refs/heads/main {Zero}\n");

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("unpinned-uses").And.Contain($"pre-push: Harden of {bad[..12]} failed; the push was stopped").And.Contain("git push --no-verify"));
    }

    [Test]
    public void A_clean_push_passes_whatever_uncommitted_workflow_the_working_tree_holds()
    {
        Workflow("clean", "ci.yml");
        var clean = Commit("a clean workflow");
        Workflow("unpinned-uses.bad", "bad.yml");

        var (exitCode, output) = Push($"refs/heads/main {clean} refs/heads/main {Zero}\n");

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain($"pre-push: Harden of refs/heads/main ({clean[..12]})").And.Contain("pre-push: the pushed commits passed.").And.Contain("Verify against the gateway is off"));
    }

    [Test]
    public void On_a_fresh_clone_that_never_ran_the_build_the_hook_makes_the_folder_for_its_report()
    {
        // The checkout's artifacts/ exists once any run has written its default report there; a fresh clone has none.
        using var clone = RepositoryCopy.Create();
        Assert.That(Directory.Exists(clone.PathOf("artifacts")), Is.False, "the copy is a fresh clone");
        Workflow("clean", "ci.yml");
        var clean = Commit("a clean workflow");

        var (exitCode, output) = PushWith(clone.PathOf(".githooks/pre-push"), $"refs/heads/main {clean} refs/heads/main {Zero}\n");

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("pre-push: the pushed commits passed."));
        Assert.That(File.Exists(clone.PathOf("artifacts/pre-push-harden.json")), Is.True, "the report of the pushed commit's Harden");
    }

    [Test]
    public void A_deletion_a_tag_and_a_commit_without_workflows_run_nothing()
    {
        File.WriteAllText(Path.Combine(_repository, "README"), "no workflows here");
        var plain = Commit("no workflows");

        var (exitCode, output) = Push(
            $"(delete) {Zero} refs/heads/old {plain}\nrefs/tags/v1 {plain} refs/tags/v1 {Zero}\nrefs/heads/main {plain} refs/heads/main {Zero}\n");

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("(delete): a deletion, nothing to check").And.Contain("refs/tags/v1: a tag, nothing to check").And.Contain("has no .github/workflows: nothing to audit"));
        Assert.That(output, Does.Not.Contain("Harden of"));
    }

    [Test]
    public void Verify_against_the_gateway_is_opt_in_and_a_gateway_that_is_down_stops_the_push_fast()
    {
        Workflow("clean", "ci.yml");
        var clean = Commit("a clean workflow");
        var port = Loopback.UnusedPort();
        var gateway = ("LITELLM_URL", $"http://127.0.0.1:{port}");

        var (withoutOptIn, quiet) = Push($"refs/heads/main {clean} refs/heads/main {Zero}\n", gateway);
        Assert.That(withoutOptIn, Is.EqualTo(0), quiet);
        Assert.That(quiet, Does.Not.Contain("Verify of"));

        Git("config", "litellm-verify.prePushGateway", "true");
        var clock = Stopwatch.StartNew();
        var (exitCode, output) = Push($"refs/heads/main {clean} refs/heads/main {Zero}\n", gateway, ("VERIFY_PRE_PUSH_DEADLINE", "2"));

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain($"pre-push: Verify of {clean[..12]} failed (a gateway that does not answer fails within the 2 s deadline); the push was stopped").And.Contain("git push --no-verify"));
        Assert.That(output, Does.Not.Contain("Harden of"), "Verify runs Harden itself: not twice");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)));
    }
}
