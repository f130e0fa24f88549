using Build.Gateway;

namespace Build.Tests.Unit;

[TestFixture]
public sealed class GatewayAnswerTests
{
    [TestCase("""{"error":{"message":"Authentication Error, No api key passed in.","type":"auth_error","param":"None","code":"401"}}""", "401")]
    [TestCase("""{"error":{"message":"Authentication Error, No api key passed in.","type":"auth_error","param":"None","code":401}}""", "401")]
    public void The_error_envelope_reads_code_as_string_or_number(string body, string code)
    {
        var envelope = ErrorEnvelope.From(body)!;
        Assert.That(envelope.Code, Is.EqualTo(code));
        Assert.That(envelope.Type, Is.EqualTo("auth_error"));
    }

    [Test]
    public void The_error_envelope_reads_FastAPI_detail_and_ignores_garbage()
    {
        Assert.That(ErrorEnvelope.From("""{"detail":"Not Found"}""")!.Message, Is.EqualTo("Not Found"));
        Assert.That(ErrorEnvelope.From("<html>oops</html>"), Is.Null);
        Assert.That(ErrorEnvelope.From("{\"error\": {\"message\": "), Is.Null);
    }

    [Test]
    public void Content_may_be_a_list_of_text_parts()
    {
        var parts = Newtonsoft.Json.Linq.JToken.Parse("""[{"type":"text","text":"po"},{"type":"text","text":"ng"}]""");
        Assert.That(ChatProbe.ContentText(parts), Is.EqualTo("pong"));
        Assert.That(ChatProbe.ContentText(Newtonsoft.Json.Linq.JToken.Parse("null")), Is.Null);
    }

    [Test]
    public void Every_failure_class_has_a_unique_id_and_a_fix()
    {
        var all = FailureClass.All;
        Assert.That(all.Select(failure => failure.Id), Is.Unique);
        Assert.That(all, Has.All.Matches<FailureClass>(failure => failure.Fix.Length > 10 && failure.Title.Length > 5));
    }
}
