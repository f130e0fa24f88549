using Build.Settings;
using Build.Tests.Support;

namespace Build.Tests.Unit;

[TestFixture]
public sealed class SettingsReaderTests
{
    private static VerifySettings Valid(TestSettings source)
    {
        var (settings, problems) = SettingsReader.Read(source);
        Assert.That(problems, Is.Empty);
        return settings!;
    }

    private static IReadOnlyList<string> Problems(TestSettings source) => SettingsReader.Read(source).Problems;

    [Test]
    public void Defaults_are_LiteLLMs_local_address_and_the_cheap_liveliness_path()
    {
        var settings = Valid(new TestSettings());
        Assert.That(settings.GatewayUrl.AbsoluteUri, Is.EqualTo("http://localhost:4000/"));
        Assert.That(settings.HealthPath, Is.EqualTo("/health/liveliness"));
        Assert.That(settings.Model, Is.EqualTo("gpt-4"));
        Assert.That(settings.MaxTokens, Is.EqualTo(16));
        Assert.That(settings.Deadline, Is.EqualTo(SettingsReader.LaptopDeadline));
        Assert.That(settings.ApiKey, Is.Null);
        Assert.That(settings.InfrastructureNames, Is.Empty);
    }

    [Test]
    public void CI_gets_the_longer_deadline_for_new_tailnet_peers()
    {
        Assert.That(Valid(new TestSettings(environment: new() { ["CI"] = "true" })).Deadline, Is.EqualTo(SettingsReader.CiDeadline));
    }

    [Test]
    public void The_option_wins_over_LITELLM_URL_which_wins_over_host_and_port()
    {
        var environment = new Dictionary<string, string> { ["LITELLM_URL"] = "https://env.example.com", ["LITELLM_HOST"] = "host.tail1.ts.net", ["LITELLM_PORT"] = "8443" };
        Assert.That(Valid(new TestSettings(new() { ["litellm-url"] = "https://arg.example.com" }, environment)).GatewayUrl.Host, Is.EqualTo("arg.example.com"));
        Assert.That(Valid(new TestSettings(environment: environment)).GatewayUrl.Host, Is.EqualTo("env.example.com"));
        environment.Remove("LITELLM_URL");
        Assert.That(Valid(new TestSettings(environment: environment)).GatewayUrl.AbsoluteUri, Is.EqualTo("https://host.tail1.ts.net:8443/"));
    }

    [Test]
    public void LITELLM_HOST_alone_uses_the_tailscale_serve_port()
    {
        var settings = Valid(new TestSettings(environment: new() { ["LITELLM_HOST"] = "gw.tail1.ts.net" }));
        Assert.That(settings.GatewayUrl.Port, Is.EqualTo(8443));
        Assert.That(settings.InfrastructureNames, Does.Contain("gw.tail1.ts.net").And.Contain("gw.tail1.ts.net:8443").And.Contain("https://gw.tail1.ts.net:8443"));
    }

    [Test]
    public void A_path_prefix_is_kept_without_its_trailing_slash()
    {
        var settings = Valid(new TestSettings(new() { ["litellm-url"] = "https://gw.tail1.ts.net:8443/litellm/" }));
        Assert.That(settings.GatewayUrl.AbsolutePath, Is.EqualTo("/litellm"));
        Assert.That(settings.Notes, Is.Empty);
    }

    [TestCase("http://127.0.0.1:4000", true)]
    [TestCase("http://localhost:4000", true)]
    [TestCase("http://100.101.102.103:4000", true)]
    [TestCase("http://gw.tail1234.ts.net:4000", true)]
    [TestCase("http://100.128.0.1:4000", false)]
    [TestCase("http://gateway.example.com:4000", false)]
    [TestCase("http://10.0.0.5:4000", false)]
    public void Plain_http_is_allowed_only_to_loopback_and_tailnet(string url, bool allowed)
    {
        var problems = Problems(new TestSettings(new() { ["litellm-url"] = url }));
        Assert.That(problems, allowed ? Is.Empty : Has.One.Contains("--allow-http"));
        Assert.That(Problems(new TestSettings(new() { ["litellm-url"] = url, ["allow-http"] = string.Empty })), Is.Empty);
    }

    [TestCase("not a url")]
    [TestCase("ftp://gw.example.com")]
    [TestCase("https://user:pass@gw.example.com")]
    [TestCase("https://gw.example.com/?key=1")]
    public void A_malformed_url_is_a_problem_that_does_not_show_the_value(string url)
    {
        var problems = Problems(new TestSettings(environment: new() { ["LITELLM_URL"] = url }));
        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.StartWith("LITELLM_URL"));
        Assert.That(problems[0], Does.Not.Contain("gw.example.com").And.Not.Contain("pass"));
    }

    [Test]
    public void A_host_with_a_scheme_is_refused()
    {
        Assert.That(Problems(new TestSettings(environment: new() { ["LITELLM_HOST"] = "https://gw.tail1.ts.net" })), Has.One.StartWith("LITELLM_HOST"));
        Assert.That(Problems(new TestSettings(environment: new() { ["LITELLM_HOST"] = "gw", ["LITELLM_PORT"] = "99999" })), Has.One.StartWith("LITELLM_PORT"));
    }

    [Test]
    public void Every_problem_is_listed_at_once()
    {
        var problems = Problems(new TestSettings(new()
        {
            ["deadline"] = "0",
            ["max-tokens"] = "lots",
            ["health-path"] = "health",
            ["ca-cert"] = "/no/such/file.pem",
            ["stream"] = "perhaps",
            ["modle"] = "gpt-4",
        }));
        Assert.That(problems, Has.Count.EqualTo(6));
        Assert.That(problems, Has.One.Contains("did you mean --model?"));
    }

    [Test]
    public void The_key_comes_only_from_the_environment()
    {
        Assert.That(Valid(new TestSettings(environment: new() { ["LITELLM_API_KEY"] = "sk-123" })).ApiKey, Is.EqualTo("sk-123"));
        Assert.That(Problems(new TestSettings(new() { ["api-key"] = "sk-123" })), Has.One.Contains("never taken from the command line"));
        Assert.That(Problems(new TestSettings(environment: new() { ["LITELLM_API_KEY"] = "sk-123\n" })), Has.One.Contains("control characters").And.Not.Contain("sk-123"));
    }

    [Test]
    public void A_ca_certificate_file_must_hold_a_certificate()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "not a certificate");
        try
        {
            Assert.That(Problems(new TestSettings(new() { ["ca-cert"] = path })), Has.One.Contains("no readable certificate"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("0.001")]
    [TestCase("1e-300")]
    [TestCase("0")]
    [TestCase("3601")]
    [TestCase("NaN")]
    [TestCase("Infinity")]
    public void A_deadline_outside_1_to_3600_seconds_is_a_settings_problem(string deadline)
    {
        Assert.That(Problems(new TestSettings(new() { ["deadline"] = deadline })), Has.One.StartWith("--deadline: must be a number of seconds from 1 to 3600"));
    }

    [TestCase("https://gw.tail1.ts.net:8443/v1", "/")]
    [TestCase("https://gw.tail1.ts.net:8443/v1/", "/")]
    [TestCase("https://gw.tail1.ts.net:8443/litellm/v1", "/litellm")]
    public void One_trailing_v1_is_dropped_with_a_notice(string url, string path)
    {
        var settings = Valid(new TestSettings(new() { ["litellm-url"] = url }));

        Assert.That(settings.GatewayUrl.AbsolutePath, Is.EqualTo(path));
        Assert.That(settings.Notes, Has.One.Contain("ends in /v1"));
        Assert.That(string.Join(' ', settings.Notes), Does.Not.Contain("gw.tail1"));
    }

    [Test]
    public void A_CA_file_must_be_a_regular_file_of_at_most_1_MiB_and_is_never_waited_on()
    {
        var directory = Directory.CreateTempSubdirectory("ca-").FullName;
        var fifo = Path.Combine(directory, "ca.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])!)
        {
            mkfifo.WaitForExit();
        }

        var large = Path.Combine(directory, "large.pem");
        File.WriteAllBytes(large, new byte[(1024 * 1024) + 1]);

        foreach (var (path, problem) in new[] { (fifo, "not a regular file"), ("/dev/zero", "not a regular file"), (large, "larger than 1 MiB"), (directory, "a folder"), (Path.Combine(directory, "none.pem"), "no such file") })
        {
            var reading = Task.Run(() => Problems(new TestSettings(new() { ["ca-cert"] = path })));
            Assert.That(reading.Wait(TimeSpan.FromSeconds(10)), Is.True, $"{path} hung the reader");
            Assert.That(reading.Result, Has.One.StartWith("--ca-cert: ").And.Contain(problem), path);
        }
    }

    [Test]
    public void An_explicit_workflows_folder_must_exist_and_the_report_stays_out_of_build()
    {
        Assert.That(Problems(new TestSettings(new() { ["workflows"] = "/nonexistent/workflows" })), Has.One.StartWith("--workflows: no such folder"));
        Assert.That(Problems(new TestSettings(new() { ["report"] = Path.Combine(Repository.Root, "build", "report.json") })), Has.One.StartWith("--report: is inside build/"));

        var defaults = Valid(new TestSettings());
        Assert.That(defaults.WorkflowsDirectory, Is.EqualTo(Path.Combine(Repository.Root, ".github", "workflows")));
        Assert.That(defaults.ReportPath, Is.EqualTo(Path.Combine(Repository.Root, "artifacts", "verify-report.json")));
    }
}
