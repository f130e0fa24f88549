using Build.Security;

namespace Build.Tests.Unit;

/// <summary>Behaviour of the egress policy and the workflow commands that a regression would change.</summary>
[TestFixture]
public sealed class SecurityPinTests
{
    [Test]
    public void The_egress_record_counts_requests_per_origin_in_order_and_blocks_with_its_message()
    {
        var policy = new EgressPolicy(EgressMode.Block);
        policy.Allow(new Uri("https://gw.tail1.ts.net:8443/some/path"));

        policy.Check(new Uri("https://gw.tail1.ts.net:8443/health/liveliness"));
        policy.Check(new Uri("https://GW.tail1.ts.net:8443/v1/chat/completions"));
        var blocked = Assert.Throws<EgressBlockedException>(() => policy.Check(new Uri("https://attacker.example/x")));

        Assert.That(blocked!.Message, Is.EqualTo("egress refused: destination not on the allowlist"));
        Assert.That(blocked.Origin, Is.EqualTo("https://attacker.example:443"));
        Assert.That(policy.Destinations, Is.EqualTo(new[]
        {
            new EgressRecord("https://attacker.example:443", Allowed: false, Blocked: true, Requests: 1),
            new EgressRecord("https://gw.tail1.ts.net:8443", Allowed: true, Blocked: false, Requests: 2),
        }));
        Assert.That(policy.IsAllowed(new Uri("http://gw.tail1.ts.net:8443/")), Is.False, "another scheme is another origin");
        Assert.That(policy.IsAllowed(new Uri("https://gw.tail1.ts.net:9443/")), Is.False, "another port is another origin");
    }

    [Test]
    public void Audit_mode_records_a_destination_outside_the_allowlist_without_refusing_it()
    {
        var policy = new EgressPolicy(EgressMode.Audit);

        policy.Check(new Uri("https://elsewhere.example/x"));

        Assert.That(policy.Destinations.Single(), Is.EqualTo(new EgressRecord("https://elsewhere.example:443", Allowed: false, Blocked: false, Requests: 1)));
    }

    [Test]
    public void Workflow_commands_are_escaped_as_the_runner_reads_them_and_silent_off_GitHub()
    {
        using var output = new StringWriter();
        var commands = new WorkflowCommands(true, output);
        commands.AddMask("line1\nline2%\r");
        commands.Annotation("warning", "50% done\nnext", "a:b,c", "dir/file,x.yml", 7);
        commands.Annotation("notice", "plain");
        commands.StartGroup("Harden");
        commands.EndGroup();
        commands.AddMask(string.Empty);

        Assert.That(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "::add-mask::line1%0Aline2%25%0D",
            "::warning file=dir/file%2Cx.yml,line=7,title=a%3Ab%2Cc::50%25 done%0Anext",
            "::notice::plain",
            "::group::Harden",
            "::endgroup::",
        }));

        using var silent = new StringWriter();
        var off = new WorkflowCommands(false, silent);
        off.AddMask("secret");
        off.Annotation("error", "x");
        off.StartGroup("g");
        off.EndGroup();
        Assert.That(silent.ToString(), Is.Empty);
    }

    [TestCase("abc", "***")]
    [TestCase("ab", "ab")]
    public void The_shortest_value_redacted_is_three_characters(string value, string expected)
    {
        var redactor = new Redactor();
        redactor.Add(value);
        Assert.That(redactor.Redact(value), Is.EqualTo(expected));
    }
}
