using System.Text;
using Build.Gateway;
using Build.Reporting;
using Build.Security;

namespace Build.Tests.Unit;

/// <summary>The one redaction point: no form of a key, no fragment of 8 characters, no terminal escape leaves it.</summary>
[TestFixture]
public sealed class RedactorTests
{
    private const string Key = "sk-CANARY-91aF3kQ7zP2mX8vR4tY6wB0n91x7";

    private static Redactor WithKey()
    {
        var redactor = new Redactor();
        redactor.AddKey(Key);
        return redactor;
    }

    /// <summary>True when any 8 consecutive characters of the key appear, ignoring case.</summary>
    private static bool HasKeyRun(string text) =>
        Enumerable.Range(0, Key.Length - Redactor.KeyRun + 1).Any(start => text.Contains(Key.Substring(start, Redactor.KeyRun), StringComparison.OrdinalIgnoreCase));

    [TestCase("prefix " + Key + " suffix")]
    [TestCase("the key starts sk-CANARY-91aF3 and was cut")]
    [TestCase("the end of it: zP2mX8vR4tY6wB0n91x7.")]
    [TestCase("in the middle 3kQ7zP2mX8 only")]
    [TestCase("SK-canary-91AF3KQ7 in another case")]
    public void No_run_of_8_characters_of_the_key_survives(string text)
    {
        var redacted = WithKey().Redact(text);

        Assert.That(HasKeyRun(redacted), Is.False, redacted);
        Assert.That(redacted, Does.Contain(Redactor.Placeholder));
    }

    [Test]
    public void A_key_split_across_a_line_break_is_redacted_on_both_sides()
    {
        var redacted = WithKey().Redact($"key: {Key[..15]}\n{Key[15..]} end");

        Assert.That(HasKeyRun(redacted.Replace("\n", string.Empty, StringComparison.Ordinal)), Is.False, redacted);
        Assert.That(redacted, Does.StartWith("key: ").And.EndWith(" end"));
    }

    [Test]
    public void Base64_and_percent_encoded_forms_are_redacted_at_any_alignment()
    {
        var redactor = WithKey();
        foreach (var prefix in new[] { string.Empty, "x", "xy", "user:" })
        {
            var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + Key));
            var redacted = redactor.Redact($"Authorization: Basic {base64}");
            Assert.That(redacted, Does.Not.Contain(base64[^20..]), prefix);
            Assert.That(redacted, Does.Contain(Redactor.Placeholder), prefix);
            var urlSafe = base64.Replace('+', '-').Replace('/', '_');
            Assert.That(redactor.Redact(urlSafe), Does.Contain(Redactor.Placeholder), prefix);
        }

        var every = string.Concat(Encoding.UTF8.GetBytes(Key).Select(value => $"%{value:X2}"));
        Assert.That(redactor.Redact($"q={every}"), Is.EqualTo($"q={Redactor.Placeholder}"));
        Assert.That(redactor.Redact($"q={every.ToLowerInvariant()}"), Is.EqualTo($"q={Redactor.Placeholder}"));
    }

    [TestCase("sk-CAN...91x7", "***")]
    [TestCase("key sk-CANARY-**** given", "key *** given")]
    [TestCase("sk-CANA…", "***")]
    [TestCase("ends …n91x7.", "ends ***.")]
    [TestCase("wait... then", "wait... then")]
    [TestCase("sk-...", "sk-...")]
    public void Abbreviations_of_the_key_are_redacted_and_ordinary_ellipses_kept(string text, string expected)
    {
        Assert.That(WithKey().Redact(text), Is.EqualTo(expected));
    }

    [Test]
    public void Gateway_text_is_cut_after_it_is_redacted_so_no_fragment_is_left()
    {
        var redactor = WithKey();
        var message = new string('a', 150) + " " + Key + " trailing text";

        var redacted = redactor.Redact(StatusFailures.Shorten(message));

        Assert.That(HasKeyRun(redacted), Is.False, redacted);
        Assert.That(redacted, Does.Contain(Redactor.Placeholder));
        Assert.That(redacted, Has.Length.LessThanOrEqualTo(Redactor.CutLength));
        Assert.That(redacted, Does.Not.Contain('\u0002').And.Not.Contain('\u0003'));
    }

    [Test]
    public void Infrastructure_values_are_replaced_whole_but_not_in_fragments()
    {
        var redactor = new Redactor();
        redactor.Add("litellm.tail1234.ts.net");

        Assert.That(redactor.Redact("https://litellm.tail1234.ts.net:8443"), Is.EqualTo("https://***:8443"));
        Assert.That(redactor.Redact("LiteLLM 1.74.9 on litellm.yaml"), Is.EqualTo("LiteLLM 1.74.9 on litellm.yaml"));
    }

    [Test]
    public void Terminal_escapes_and_control_characters_never_reach_the_output()
    {
        var redacted = new Redactor().Redact("red \u001b[31mALERT\u001b[0m bell\u0007 title \u001b]0;pwned\u0007 nul\u0000 csi\u009b2J tab\tnewline\nend");

        Assert.That(redacted.Where(char.IsControl).Distinct(), Is.EquivalentTo(new[] { '\t', '\n' }));
        Assert.That(redacted, Is.EqualTo("red ALERT bell title  nul csi tab\tnewline\nend"));
    }

    [Test]
    public void A_value_shorter_than_three_characters_is_not_a_secret_and_empty_text_stays_empty()
    {
        var redactor = new Redactor();
        redactor.Add("ab");
        redactor.AddKey("xy");

        Assert.That(redactor.Redact("ab xy abc"), Is.EqualTo("ab xy abc"));
        Assert.That(redactor.Redact(string.Empty), Is.Empty);
        Assert.That(redactor.Redact(null), Is.Empty);
    }

    [Test]
    public void The_step_summary_escapes_gateway_markdown_keeps_masks_visible_and_stays_under_64_KiB()
    {
        Assert.That(SummaryTable.Escape("**bold** [link](http://x) <img src=x> ***"), Is.EqualTo("\\*\\*bold\\*\\* \\[link\\]\\(http://x\\) &lt;img src=x&gt; \\*\\*\\*"));

        var results = new TaskResults();
        results.Fail("HealthCheck", new Failure("server-error", new string('x', 200_000), "fix it"));
        var facts = new RunFacts();
        facts.Warnings.AddRange(Enumerable.Repeat(new string('w', 1000), 200));
        var markdown = SummaryTable.Markdown(results, RunVerdict.From(results), facts, new EgressPolicy(EgressMode.Block), new Redactor());

        Assert.That(Encoding.UTF8.GetByteCount(markdown), Is.LessThanOrEqualTo(SummaryTable.MaxMarkdownBytes));
        Assert.That(markdown, Does.Contain("cut at 64 KiB"));
    }

    [Test]
    public void The_egress_line_says_scheme_port_and_kind_of_host_and_masks_the_host_as_GitHub_does()
    {
        var redactor = new Redactor();
        redactor.Add("litellm.tail1234.ts.net");
        var egress = new EgressPolicy(EgressMode.Block);
        egress.Allow(new Uri("https://litellm.tail1234.ts.net:8443"));
        egress.Check(new Uri("https://litellm.tail1234.ts.net:8443/health/liveliness"));

        var markdown = SummaryTable.Markdown(new TaskResults(), RunVerdict.From(new TaskResults()), new RunFacts(), egress, redactor);

        Assert.That(markdown, Does.Contain("Egress (block mode): https://\\*\\*\\*:8443 (tailnet name)"));
        Assert.That(markdown, Does.Not.Contain("<redacted>").And.Not.Contain("tail1234"));
    }

    [Test]
    public void A_run_that_checked_nothing_never_passes()
    {
        var results = new TaskResults();
        Assert.That(RunVerdict.From(results), Is.EqualTo(new RunVerdict(false, "no check ran", "no check ran: no check was selected", RunVerdict.From(results).Fix)));
        results.Skip("ChatSmoke", "skipped because HealthCheck failed");
        Assert.That((RunVerdict.From(results).Passed, RunVerdict.From(results).Message), Is.EqualTo((false, "no check ran: ChatSmoke skipped (skipped because HealthCheck failed)")));
        results.Pass("Harden", "ok");
        Assert.That((RunVerdict.From(results).Passed, RunVerdict.From(results).Headline, RunVerdict.From(results).ExitCode), Is.EqualTo((true, "passed", 0)));
        results.Fail("HealthCheck", Failure.Of(FailureClass.ConnectionRefused, "refused."));
        Assert.That((RunVerdict.From(results).Status, RunVerdict.From(results).Message, RunVerdict.From(results).Fix, RunVerdict.From(results).ExitCode), Is.EqualTo(("failed", "HealthCheck failed: refused", FailureClass.ConnectionRefused.Fix, 1)));
        results.Fail("ChatSmoke", Failure.Of(FailureClass.BadKey));
        Assert.That(RunVerdict.From(results).Message, Does.StartWith("2 checks failed; first ChatSmoke: The gateway rejected the key"), "the first in task order (ChatSmoke was recorded, as skipped, first)");
        results.Complete("Verify", TimeSpan.FromSeconds(1));
        Assert.That(results.All.Select(result => result.Name), Is.EqualTo(new[] { "ChatSmoke", "Harden", "HealthCheck" }), "an aggregate is not a check");
    }

    [Test]
    public void Workflow_annotations_pass_the_redactor_but_masks_carry_the_value()
    {
        var redactor = WithKey();
        using var output = new StringWriter();
        var commands = new WorkflowCommands(true, output, redactor.Redact);

        commands.AddMask(Key);
        commands.Annotation("error", $"the gateway said {Key}", "title " + Key, "file.yml", 3);
        commands.StartGroup("group " + Key);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo($"::add-mask::{Key}"));
        Assert.That(string.Join('\n', lines.Skip(1)), Does.Not.Contain("CANARY"));
    }
}

/// <summary>Exact outputs at the redactor's boundaries, each pinned by a mutant that survived before.</summary>
[TestFixture]
public sealed class RedactorBoundaryTests
{
    private const string Key = "sk-0123456789";

    private static Redactor With(params string[] keys)
    {
        var redactor = new Redactor();
        foreach (var key in keys)
        {
            redactor.AddKey(key);
        }

        return redactor;
    }

    [TestCase("tail:23456789", "tail:***")]
    [TestCase("in the middle 12345678 only", "in the middle *** only")]
    [TestCase("23456789", "***")]
    [TestCase("2345678", "2345678")]
    [TestCase("sk-0…", "***")]
    [TestCase("sk-…", "sk-…")]
    [TestCase("…6789extra", "***extra")]
    [TestCase("x sk-0123456789 y sk-0123456789", "x *** y ***")]
    public void Key_runs_and_abbreviations_become_exactly_one_placeholder(string text, string expected)
    {
        Assert.That(With(Key).Redact(text), Is.EqualTo(expected));
    }

    [Test]
    public void A_split_with_a_short_side_is_still_caught_across_the_line_break()
    {
        var redacted = With(Key).Redact($"{Key[..5]}\n{Key[5..]}");

        Assert.That(redacted, Is.EqualTo("***"));
    }

    [Test]
    public void With_several_keys_each_abbreviation_is_matched_against_the_key_it_belongs_to()
    {
        var redactor = With("sk-AAAA1111BBBB", "zz-QQQQ9999RRRR");

        Assert.That(redactor.Redact("first sk-AAAA1... second zz-QQ..."), Is.EqualTo("first *** second ***"));
    }

    [Test]
    public void Short_keys_are_replaced_whole_and_two_characters_are_no_key()
    {
        Assert.That(With("sk-12").Redact("x sk-12 y"), Is.EqualTo("x *** y"));
        Assert.That(With("abc").Redact("abc"), Is.EqualTo("***"));
        Assert.That(With("ab").Redact("ab"), Is.EqualTo("ab"));
        var redactor = new Redactor();
        redactor.Add(null);
        redactor.Add(string.Empty);
        redactor.AddKey(null);
        Assert.That(redactor.Redact("anything"), Is.EqualTo("anything"));
    }

    [Test]
    public void Gateway_text_of_exactly_160_characters_is_not_cut_and_longer_text_ends_with_an_ellipsis()
    {
        var redactor = new Redactor();
        var exact = new string('a', Redactor.CutLength);

        Assert.That(redactor.Redact(Redactor.Cut(exact)), Is.EqualTo(exact));
        Assert.That(redactor.Redact(Redactor.Cut(exact + "b")), Is.EqualTo(new string('a', Redactor.CutLength - 3) + "..."));
    }

    [Test]
    public void The_encoded_forms_of_a_key_are_its_base64_at_three_alignments_both_alphabets_and_percent_forms()
    {
        const string key = "sk-a+b/c=d_0123456789";
        var bytes = System.Text.Encoding.UTF8.GetBytes(key);
        var expected = new List<string>();
        for (var offset = 0; offset < 3; offset++)
        {
            var encoded = Convert.ToBase64String(new byte[offset].Concat(bytes).ToArray()).TrimEnd('=');
            var stable = encoded[(((offset * 8) + 5) / 6)..((offset + bytes.Length) * 8 / 6)];
            expected.Add(stable);
            expected.Add(stable.Replace('+', '-').Replace('/', '_'));
        }

        expected.Add(Uri.EscapeDataString(key));
        expected.Add(string.Concat(bytes.Select(value => $"%{value:X2}")));
        expected.Add(string.Concat(bytes.Select(value => $"%{value:x2}")));

        Assert.That(KeyEncodings.Of(key), Is.EqualTo(expected));
        Assert.That(KeyEncodings.Of("sk-plain-0123456789"), Has.None.EqualTo("sk-plain-0123456789"), "a key percent-encoding leaves alone is not listed again");
    }

    [Test]
    public void Cakes_log_is_redacted_formatted_and_spared_the_engines_task_error_announcement()
    {
        var inner = new CapturingLog();
        var redactor = With(Key);
        var log = new RedactingLog(inner, redactor);

        log.Write(Cake.Core.Diagnostics.Verbosity.Normal, Cake.Core.Diagnostics.LogLevel.Information, "key {0} and {1}", Key, 42);
        log.Write(Cake.Core.Diagnostics.Verbosity.Normal, Cake.Core.Diagnostics.LogLevel.Information, "braces {not a format}");
        log.Write(Cake.Core.Diagnostics.Verbosity.Quiet, Cake.Core.Diagnostics.LogLevel.Error, "An error occurred when executing task 'HealthCheck'.");
        log.Write(Cake.Core.Diagnostics.Verbosity.Normal, Cake.Core.Diagnostics.LogLevel.Information, "An error occurred when executing task 'x' is only dropped as an error");
        log.Verbosity = Cake.Core.Diagnostics.Verbosity.Diagnostic;

        Assert.That(inner.Lines, Is.EqualTo(new[]
        {
            "key *** and 42",
            "braces {not a format}",
            "An error occurred when executing task 'x' is only dropped as an error",
        }));
        Assert.That(inner.Verbosity, Is.EqualTo(Cake.Core.Diagnostics.Verbosity.Diagnostic));
        Assert.That(log.Verbosity, Is.EqualTo(Cake.Core.Diagnostics.Verbosity.Diagnostic));
    }

    private sealed class CapturingLog : Cake.Core.Diagnostics.ICakeLog
    {
        public List<string> Lines { get; } = [];

        public Cake.Core.Diagnostics.Verbosity Verbosity { get; set; }

        public void Write(Cake.Core.Diagnostics.Verbosity verbosity, Cake.Core.Diagnostics.LogLevel level, string format, params object[] args) =>
            Lines.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
