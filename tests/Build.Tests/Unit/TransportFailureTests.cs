using System.Net.Sockets;
using System.Security.Authentication;
using Build.Gateway;
using Build.Security;
using Polly.Timeout;

namespace Build.Tests.Unit;

/// <summary>Every exception the HTTP stack throws, classified without its text (which names the host and port).</summary>
[TestFixture]
public sealed class TransportFailureTests
{
    private static readonly TlsInspector NoTlsProblem = new(null, insecure: false);

    private static HttpRequestException Request(HttpRequestError error, Exception? inner = null) => new(error, "GET https://gw.secret.example:8443 failed", inner);

    private static (string Id, string Reason) Classify(Exception exception, string scheme = "https")
    {
        var failure = TransportFailures.Classify(exception, NoTlsProblem, "3 attempts in 1 s", scheme);
        return (failure.Id, failure.Reason);
    }

    [Test]
    public void Each_exception_has_its_class_and_a_reason_that_never_quotes_it()
    {
        Assert.That(Classify(new EgressBlockedException("https://elsewhere:443")), Is.EqualTo(("egress-blocked", FailureClass.EgressBlocked.Title)));
        Assert.That(Classify(new TimeoutRejectedException()), Is.EqualTo(("timeout", "No answer from the gateway within the deadline (3 attempts in 1 s)")));
        Assert.That(Classify(new TimeoutException()), Is.EqualTo(("timeout", "No answer from the gateway within the deadline (3 attempts in 1 s)")));
        Assert.That(Classify(new AuthenticationException("secret")), Is.EqualTo(("tls", FailureClass.Tls.Title)));
        Assert.That(Classify(new CheckFailedException(Failure.Of(FailureClass.BodyBroken, "cut"))), Is.EqualTo(("body-broken", "cut")));
        Assert.That(Classify(new InvalidOperationException("gw.secret.example")), Is.EqualTo(("unexpected", "An unexpected error occurred (InvalidOperationException)")));
        Assert.That(Classify(Request(HttpRequestError.NameResolutionError)), Is.EqualTo(("dns", FailureClass.DnsNotFound.Title)));
        Assert.That(Classify(Request(HttpRequestError.SecureConnectionError)), Is.EqualTo(("tls", FailureClass.Tls.Title)));
        Assert.That(Classify(Request(HttpRequestError.ConfigurationLimitExceeded)), Is.EqualTo(("headers-too-large", "The answer's headers exceeded the client's limit")));
        Assert.That(Classify(Request(HttpRequestError.ProxyTunnelError)), Is.EqualTo(("refused", "The tailnet proxy could not reach the gateway (3 attempts in 1 s)")));
        Assert.That(Classify(Request(HttpRequestError.Unknown, new AuthenticationException("x"))), Is.EqualTo(("tls", FailureClass.Tls.Title)));
        Assert.That(Classify(Request(HttpRequestError.Unknown)), Is.EqualTo(("unexpected", "The request failed (Unknown)")));
    }

    [Test]
    public void A_connection_error_is_told_by_the_socket_error_inside_it()
    {
        Assert.That(Classify(Request(HttpRequestError.ConnectionError, new IOException("x", new SocketException((int)SocketError.TimedOut)))), Is.EqualTo(("timeout", "The connection to the gateway timed out (3 attempts in 1 s)")));
        Assert.That(Classify(Request(HttpRequestError.ConnectionError, new SocketException((int)SocketError.HostNotFound))), Is.EqualTo(("dns", FailureClass.DnsNotFound.Title)));
        Assert.That(Classify(Request(HttpRequestError.ConnectionError, new SocketException((int)SocketError.NoData))), Is.EqualTo(("dns", FailureClass.DnsNotFound.Title)));
        Assert.That(Classify(Request(HttpRequestError.ConnectionError, new SocketException((int)SocketError.ConnectionRefused))), Is.EqualTo(("refused", "The gateway refused the connection (3 attempts in 1 s)")));
        Assert.That(Classify(Request(HttpRequestError.ConnectionError, new SocketException((int)SocketError.NetworkUnreachable))), Is.EqualTo(("refused", "The gateway could not be reached: NetworkUnreachable (3 attempts in 1 s)")));
        Assert.That(Classify(Request(HttpRequestError.ConnectionError)), Is.EqualTo(("refused", "The gateway could not be reached: connection failed (3 attempts in 1 s)")));
    }

    [TestCase(HttpRequestError.ResponseEnded, "http", "The port gave no HTTP answer to plain http:// (is it a TLS port? use https://)")]
    [TestCase(HttpRequestError.InvalidResponse, "http", "The port gave no HTTP answer to plain http:// (is it a TLS port? use https://)")]
    [TestCase(HttpRequestError.ResponseEnded, "https", "The connection closed without a valid HTTP answer (an https:// URL on a plain-http port? use http://)")]
    public void A_port_that_speaks_another_protocol_says_which_scheme_to_use(HttpRequestError error, string scheme, string reason)
    {
        Assert.That(Classify(Request(error), scheme), Is.EqualTo(("scheme-mismatch", reason)));
    }

    [Test]
    public void Only_transient_errors_are_retried_and_name_resolution_only_when_asked()
    {
        Assert.That(TransportFailures.IsRetryable(new EgressBlockedException("x"), true), Is.False);
        Assert.That(TransportFailures.IsRetryable(new TimeoutRejectedException(), false), Is.True);
        Assert.That(TransportFailures.IsRetryable(Request(HttpRequestError.NameResolutionError), true), Is.True);
        Assert.That(TransportFailures.IsRetryable(Request(HttpRequestError.NameResolutionError), false), Is.False);
        Assert.That(TransportFailures.IsRetryable(Request(HttpRequestError.ConnectionError), false), Is.True);
        Assert.That(TransportFailures.IsRetryable(Request(HttpRequestError.ProxyTunnelError), false), Is.True);
        Assert.That(TransportFailures.IsRetryable(Request(HttpRequestError.SecureConnectionError), true), Is.False);
        Assert.That(TransportFailures.IsRetryable(new TimeoutException(), true), Is.False);
    }
}
