using System.Text;
using Build.Warmup;
using Cake.Frosting;
using Cake.Frosting.Internal;

namespace Build.Tests.Unit;

/// <summary>
/// The warm-up must run the real code paths to the end (a canned answer the probes reject would warm
/// nothing), touch no network, and stay out of runs that check nothing.
/// </summary>
[TestFixture]
public sealed class CodeWarmupTests
{
    [Test]
    public void One_warm_up_probes_and_draws_to_the_end_without_a_network()
    {
        // The gateway's name ends in .invalid: any name lookup or socket would fail and throw here.
        var steps = CodeWarmup.RunOnce();

        Assert.Multiple(() =>
        {
            Assert.That(steps, Has.Count.EqualTo(3));
            Assert.That(steps[0], Does.StartWith("/health/liveliness answered 200").And.EndWith("LiteLLM 0.0.0, database Not connected"));
            Assert.That(steps[1], Does.StartWith("warm-up answered in").And.Contain("1/1/2 tokens"));
            Assert.That(int.Parse(steps[2].Split(' ')[0]), Is.GreaterThan(3), "the summary table was not drawn");
        });
    }

    [TestCase("--target=Verify")]
    [TestCase("--target=ChatSmoke", "--exclusive")]
    [TestCase("--litellm-url=http://127.0.0.1:4000")]
    [TestCase("--target", "healthcheck")]
    [TestCase("-t", "Summary")]
    [TestCase("--target=Harden", "--target=KeyCheck")]
    public void Runs_with_a_spare_core_when_a_check_will_run(params string[] args) =>
        Assert.That(WarmsUp(args), Is.True);

    [TestCase("--tree")]
    [TestCase("--help")]
    [TestCase("-h")]
    [TestCase("--version")]
    [TestCase("--description")]
    [TestCase("--dryrun")]
    [TestCase("--dryrun=true")]
    [TestCase("--showtree")]
    [TestCase("--ver")]
    [TestCase("--whatif")]
    public void Stays_out_of_runs_that_check_nothing(string option) =>
        Assert.That(WarmsUp(["--target=Verify", option]), Is.False);

    [TestCase("--target=Harden", "--exclusive")]
    [TestCase("--target=Harden")]
    [TestCase("-t", "harden")]
    public void Stays_out_of_runs_that_probe_no_gateway(params string[] args) =>
        Assert.That(WarmsUp(args), Is.False);

    [Test]
    public void Stays_out_on_one_core_and_when_switched_off()
    {
        Assert.Multiple(() =>
        {
            var verify = new TargetSelection(["Verify"], Exclusive: false);
            Assert.That(CodeWarmup.ShouldRun(verify, processorCount: 1, switchValue: null), Is.False, "one core: it would only slow the run");
            Assert.That(CodeWarmup.ShouldRun(verify, processorCount: 2, switchValue: "0"), Is.False, $"{CodeWarmup.Switch}=0");
            Assert.That(CodeWarmup.ShouldRun(verify, processorCount: 2, switchValue: "1"), Is.True);
        });
    }

    /// <summary>
    /// What the host does with this command line: read it (its own reader or Spectre's), and, on a run that runs tasks,
    /// hand the targets to the warm-up (Spectre answers --help itself: no command, no tasks).
    /// </summary>
    private static bool WarmsUp(string[] args)
    {
        var settings = CanonicalCommandLine.TryRead(args)?.Settings ?? CanonicalCommandLineTests.ReadWithSpectre(args).Settings;
        return settings is not null
            && HostCommand.RunsTasks(settings)
            && CodeWarmup.ShouldRun(HostCommand.Selection(settings, CakeHost.DefaultTarget), processorCount: 2, switchValue: null);
    }

    [Test]
    public void The_canned_connection_answers_the_request_line_it_was_sent()
    {
        static string Exchange(string request)
        {
            using var connection = new CannedGatewayConnection((method, path) => (method == "GET" && path == "/a" ? 200 : 404, "text/plain", $"{method} {path}"));
            connection.Write(Encoding.ASCII.GetBytes(request));
            var buffer = new byte[1024];
            var read = connection.Read(buffer, 0, buffer.Length);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }

        Assert.Multiple(() =>
        {
            Assert.That(Exchange("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"), Does.StartWith("HTTP/1.1 200 ").And.Contain("Content-Length: 6\r\n").And.Contain("Connection: close").And.EndWith("\r\n\r\nGET /a"));
            Assert.That(Exchange("POST /b HTTP/1.1\r\n\r\n"), Does.StartWith("HTTP/1.1 404 ").And.EndWith("POST /b"));
            Assert.That(Exchange(string.Empty), Does.StartWith("HTTP/1.1 400 ").And.EndWith("no request line"));
        });
    }

    [TestCase("GET", "/health/liveliness", 200)]
    [TestCase("GET", "/health/readiness", 200)]
    [TestCase("POST", "/v1/chat/completions", 200)]
    [TestCase("GET", "/v1/chat/completions", 404)]
    [TestCase("GET", "/health", 404)]
    public void The_in_memory_gateway_knows_only_what_the_probes_ask(string method, string path, int code) =>
        Assert.That(CodeWarmup.Answer(method, path).Code, Is.EqualTo(code));
}
