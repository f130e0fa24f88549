using System.Net.Sockets;
using System.Security.Authentication;
using Build.Security;
using Polly.Timeout;

namespace Build.Gateway;

/// <summary>Turns an exception from the HTTP stack into a classified failure, without its text (which names host and port).</summary>
public static class TransportFailures
{
    public static Failure Classify(Exception exception, TlsInspector tls, string attempts, string scheme = "https")
    {
        switch (exception)
        {
            case EgressBlockedException:
                return Failure.Of(FailureClass.EgressBlocked);
            case TimeoutRejectedException or TimeoutException:
                return Failure.Of(FailureClass.Timeout, $"No answer from the gateway within the deadline ({attempts})");
            case AuthenticationException:
                return TlsFailure(tls);
            case CheckFailedException checkFailed:
                return checkFailed.Failure;
            case HttpRequestException request:
                return ClassifyRequest(request, tls, attempts, scheme);
            default:
                return Failure.Of(FailureClass.Unexpected, $"An unexpected error occurred ({exception.GetType().Name})");
        }
    }

    public static bool IsRetryable(Exception exception, bool retryNameResolution) =>
        exception switch
        {
            EgressBlockedException => false,
            TimeoutRejectedException => true,
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => retryNameResolution,
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.ProxyTunnelError } => true,
            _ => false,
        };

    private static Failure ClassifyRequest(HttpRequestException request, TlsInspector tls, string attempts, string scheme)
    {
        switch (request.HttpRequestError)
        {
            case HttpRequestError.NameResolutionError:
                return Failure.Of(FailureClass.DnsNotFound);
            case HttpRequestError.SecureConnectionError:
                return TlsFailure(tls);
            case HttpRequestError.ConnectionError:
                var socket = FindSocketError(request);
                if (socket is SocketError.TimedOut)
                {
                    return Failure.Of(FailureClass.Timeout, $"The connection to the gateway timed out ({attempts})");
                }

                if (socket is SocketError.HostNotFound or SocketError.NoData)
                {
                    return Failure.Of(FailureClass.DnsNotFound);
                }

                return Failure.Of(FailureClass.ConnectionRefused, socket is SocketError.ConnectionRefused
                    ? $"The gateway refused the connection ({attempts})"
                    : $"The gateway could not be reached: {socket?.ToString() ?? "connection failed"} ({attempts})");
            case HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse:
                return Failure.Of(FailureClass.SchemeMismatch, scheme == "http"
                    ? "The port gave no HTTP answer to plain http:// (is it a TLS port? use https://)"
                    : "The connection closed without a valid HTTP answer (an https:// URL on a plain-http port? use http://)");
            case HttpRequestError.ConfigurationLimitExceeded:
                return Failure.Of(FailureClass.HeadersTooLarge, "The answer's headers exceeded the client's limit");
            case HttpRequestError.ProxyTunnelError:
                return Failure.Of(FailureClass.ConnectionRefused, $"The tailnet proxy could not reach the gateway ({attempts})");
            default:
                return request.InnerException is AuthenticationException
                    ? TlsFailure(tls)
                    : Failure.Of(FailureClass.Unexpected, $"The request failed ({request.HttpRequestError})");
        }
    }

    private static Failure TlsFailure(TlsInspector tls) => Failure.Of(tls.LastProblem ?? FailureClass.Tls);

    private static SocketError? FindSocketError(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }
}
