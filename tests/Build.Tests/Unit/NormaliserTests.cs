using Build.Security;

namespace Build.Tests.Unit;

/// <summary>Normalise, then redact: a key hidden between characters a reader never sees is redacted whole.</summary>
[TestFixture]
public sealed class NormaliserTests
{
    private const string Key = "sk-CANARY-91aF3kQ7zP2mX8vR4tY6wB0n91x7";

    /// <summary>Every way of hiding characters between the key's: what a terminal, a browser or a Markdown renderer drops.</summary>
    public static readonly string[] Hiders =
    [
        "\u0001", "\u0000", "\u007F", "\u0085", "\u009B1m", "\u001b[0m", "\u001b[31;1m", "\u001b]8;;http://x\u0007", "\u001b]0;title\u001b\\", "\u001bc",
        "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\u202E", "\u2066", "\u2069", "\u061C", "\U000E0041",
    ];

    private static string Hidden(string hider) => string.Join(hider, Key.ToCharArray());

    private static bool HasKeyRun(string text) =>
        Enumerable.Range(0, Key.Length - Redactor.KeyRun + 1).Any(start => text.Contains(Key.Substring(start, Redactor.KeyRun), StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<TestCaseData> Named() => Hiders.Select(hider => new TestCaseData(hider).SetArgDisplayNames(Uri.EscapeDataString(hider)));

    [TestCaseSource(nameof(Named))]
    public void Each_hiding_character_is_removed(string hider)
    {
        Assert.That(Redactor.Normalise($"a{hider}b"), Is.EqualTo("ab"));
    }

    [Test]
    public void A_lone_C1_CSI_takes_the_next_character_as_a_terminal_would_and_no_run_of_the_key_survives()
    {
        var redactor = new Redactor();
        redactor.AddKey(Key);
        Assert.That(Redactor.Normalise("a\u009Bbc"), Is.EqualTo("ac"));
        Assert.That(HasKeyRun(redactor.Redact(string.Join("\u009B", Key.ToCharArray()))), Is.False);
    }

    [Test]
    public void Tab_line_breaks_and_visible_text_stay()
    {
        const string Visible = "line one\tcol\r\nline two — ünïcödé 中文 emoji 🙂 ***";
        Assert.That(Redactor.Normalise(Visible), Is.SameAs(Visible), "nothing to remove: the same string");
    }

    [TestCaseSource(nameof(Named))]
    public void A_key_with_a_hiding_character_between_every_character_is_redacted(string hider)
    {
        var redactor = new Redactor();
        redactor.AddKey(Key);

        var redacted = redactor.Redact($"401: {Hidden(hider)} is not valid");

        Assert.That(HasKeyRun(redacted), Is.False, redacted);
        Assert.That(HasKeyRun(Redactor.Normalise(redacted)), Is.False, redacted);
        Assert.That(redacted, Is.EqualTo("401: *** is not valid"));
    }

    [Test]
    public void A_hiding_character_at_each_position_of_the_key_is_redacted()
    {
        var redactor = new Redactor();
        redactor.AddKey(Key);
        foreach (var hider in Hiders)
        {
            for (var position = 0; position <= Key.Length; position++)
            {
                var text = Key.Insert(position, hider);
                var redacted = redactor.Redact($"[{text}]");

                Assert.That(redacted, Is.EqualTo("[***]"), $"{Uri.EscapeDataString(hider)} at {position}");
            }
        }
    }

    [Test]
    public void A_cut_gateway_text_is_cut_after_normalising_and_leaves_no_mark()
    {
        var redactor = new Redactor();
        var cut = redactor.Redact(Redactor.Cut(new string('a', 150) + "\u200B\u200B" + new string('b', 20)));
        Assert.That(cut, Is.EqualTo(new string('a', 150) + new string('b', 7) + "..."));
        Assert.That(redactor.Redact("stray \u0003 end mark"), Is.EqualTo("stray  end mark"));
    }
}
