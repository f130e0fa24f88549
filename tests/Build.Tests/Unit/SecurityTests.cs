using Build.Security;

namespace Build.Tests.Unit;

[TestFixture]
public sealed class SecurityTests
{
    [Test]
    public void The_redactor_replaces_longest_values_first_and_ignores_case()
    {
        var redactor = new Redactor();
        redactor.Add("gw.tail1.ts.net");
        redactor.Add("https://gw.tail1.ts.net:8443");
        redactor.Add("sk-secret");
        Assert.That(redactor.Redact("GET https://gw.tail1.ts.net:8443/x with sk-secret at GW.TAIL1.TS.NET"), Is.EqualTo("GET ***/x with *** at ***"));
    }

    [Test]
    public void Both_urls_given_are_masked_even_when_settings_are_malformed()
    {
        // The option wins (GatewayUrlReader); a malformed one still names a private host, and so does the other.
        var source = new Support.TestSettings(
            new() { ["litellm-url"] = "https://option-gw.tail1.ts.net:99999/ x" },
            new() { ["LITELLM_URL"] = "https://env-gw.tail1.ts.net:8443/", ["LITELLM_HOST"] = "host-gw.tail1.ts.net", ["LITELLM_PORT"] = "8443" });

        var secrets = VerifyRun.RawInfrastructureNames(source).ToList();

        Assert.That(secrets, Does.Contain("https://option-gw.tail1.ts.net:99999/ x").And.Contain("https://env-gw.tail1.ts.net:8443/")
            .And.Contain("https://env-gw.tail1.ts.net:8443").And.Contain("host-gw.tail1.ts.net").And.Contain("host-gw.tail1.ts.net:8443"));
    }

    [Test]
    public void The_redactor_ignores_values_too_short_to_be_secrets()
    {
        var redactor = new Redactor();
        redactor.Add("80");
        Assert.That(redactor.Redact("took 80 ms"), Is.EqualTo("took 80 ms"));
    }

    [Test]
    public void Masks_escape_percent_and_line_breaks_so_every_line_is_masked()
    {
        var output = new StringWriter();
        new WorkflowCommands(enabled: true, output).AddMask("a%b\r\nsecond line");
        Assert.That(output.ToString(), Is.EqualTo("::add-mask::a%25b%0D%0Asecond line" + Environment.NewLine));
    }

    [Test]
    public void No_workflow_command_is_printed_outside_GitHub_Actions()
    {
        var output = new StringWriter();
        var commands = new WorkflowCommands(enabled: false, output);
        commands.AddMask("sk-secret");
        commands.StartGroup("HealthCheck");
        commands.Annotation("error", "x", "rule", "file.yml", 3);
        Assert.That(output.ToString(), Is.Empty);
    }

    [Test]
    public void Annotation_properties_escape_colons_and_commas()
    {
        var output = new StringWriter();
        new WorkflowCommands(enabled: true, output).Annotation("error", "bad: thing", "unpinned-uses", ".github/workflows/a,b.yml", 7);
        Assert.That(output.ToString().TrimEnd(), Is.EqualTo("::error file=.github/workflows/a%2Cb.yml,line=7,title=unpinned-uses::bad: thing"));
    }

    [Test]
    public async Task Block_mode_refuses_a_destination_outside_the_allowlist_before_connecting()
    {
        var policy = new EgressPolicy(EgressMode.Block);
        policy.Allow(new Uri("https://gw.tail1.ts.net:8443"));
        var inner = new RecordingHandler();
        using var client = new HttpClient(new EgressHandler(policy, inner));

        Assert.ThrowsAsync<EgressBlockedException>(() => client.GetAsync("https://elsewhere.example.com/"));
        Assert.That(inner.Sent, Is.Empty, "the refused request reached the network handler");
        await client.GetAsync("https://gw.tail1.ts.net:8443/health/liveliness");
        Assert.That(inner.Sent, Has.Count.EqualTo(1));
        Assert.That(policy.Destinations.Select(record => (record.Origin, record.Blocked)), Is.EquivalentTo(new[] { ("https://elsewhere.example.com:443", true), ("https://gw.tail1.ts.net:8443", false) }));
    }

    [Test]
    public async Task Audit_mode_records_an_unexpected_destination_and_lets_it_through()
    {
        var policy = new EgressPolicy(EgressMode.Audit);
        var inner = new RecordingHandler();
        using var client = new HttpClient(new EgressHandler(policy, inner));

        await client.GetAsync("https://elsewhere.example.com/");
        Assert.That(inner.Sent, Has.Count.EqualTo(1));
        Assert.That(policy.Destinations.Single(), Is.EqualTo(new EgressRecord("https://elsewhere.example.com:443", false, false, 1)));
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<Uri> Sent { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
