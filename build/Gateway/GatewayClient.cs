using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Build.Core;
using Build.Security;
using Build.Settings;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Build.Gateway;

/// <summary>
/// The one HTTP client that talks to the gateway: TLS verified, redirects not followed, the key
/// sent only to the gateway's origin, every request through the egress policy, retries by Polly
/// within a deadline, answers read up to a cap.
/// </summary>
public sealed class GatewayClient : IDisposable
{
    /// <summary>At most this many attempts per check, whatever the deadline.</summary>
    public const int MaxAttempts = 30;

    /// <summary>No retry comes sooner than this, whatever Retry-After says (0, a date in the past).</summary>
    public static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan MaximumWait = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private readonly HttpClient _http;
    private readonly GatewayOptions _settings;
    private int _requestsSent;

    /// <param name="connect">Opens the connection instead of a socket (the in-memory warm-up); null: TCP as usual.</param>
    public GatewayClient(GatewayOptions settings, EgressPolicy egress, IWebProxy? proxy = null, bool retryNameResolution = false,
        Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null)
    {
        _settings = settings;
        RetryNameResolution = retryNameResolution;
        Tls = new TlsInspector(settings.ExtraTrust, settings.Insecure);
        egress.Allow(settings.Url);
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = proxy is not null,
            Proxy = proxy,
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(10, settings.Deadline.TotalSeconds)),
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = { RemoteCertificateValidationCallback = Tls.Validate },
            ConnectCallback = connect,
        };
        _http = new HttpClient(new EgressHandler(egress, sockets)) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(BuildInfo.UserAgent);
    }

    public TlsInspector Tls { get; }

    public bool RetryNameResolution { get; }

    /// <summary>Requests sent to the gateway so far (for the report's TLS line: no request, no verification).</summary>
    public int RequestsSent => _requestsSent;

    public bool HasKey => !string.IsNullOrEmpty(_settings.ApiKey);

    public Uri Url(string path) => new(_settings.Url.AbsoluteUri.TrimEnd('/') + path);

    public Task<GatewayResponse> GetAsync(string path, bool withKey, RetryProfile profile, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Url(path)), withKey, profile, cancellationToken);

    public Task<GatewayResponse> PostJsonAsync(string path, string json, RetryProfile profile, CancellationToken cancellationToken) =>
        SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, Url(path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") },
            withKey: true,
            profile,
            cancellationToken);

    /// <summary>Sends with retries until the deadline; a transport failure becomes a <see cref="CheckFailedException"/>.</summary>
    private async Task<GatewayResponse> SendAsync(Func<HttpRequestMessage> create, bool withKey, RetryProfile profile, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        using var deadlineSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadlineSource.CancelAfter(_settings.Deadline);
        var attempts = 0;
        Exception? lastException = null;
        GatewayResponse? lastAnswer = null;
        var pipeline = BuildPipeline(profile, () => _settings.Deadline - deadline.Elapsed);

        try
        {
            return await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    try
                    {
                        return lastAnswer = await SendOnceAsync(create, withKey, token);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        lastException = exception;
                        throw;
                    }
                },
                deadlineSource.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.Cancelled));
        }
        catch (Exception exception) when (lastAnswer is not null && exception is OperationCanceledException or TimeoutRejectedException)
        {
            // The deadline ran out waiting for a better answer: the last real one (502 from tailscale
            // serve with LiteLLM down, say) tells the user more than "no answer".
            return lastAnswer;
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutRejectedException or HttpRequestException
            or System.Security.Authentication.AuthenticationException)
        {
            var summary = $"{attempts} attempt{(attempts == 1 ? string.Empty : "s")} in {deadline.Elapsed.TotalSeconds:0.#} s";
            var cause = exception is OperationCanceledException ? lastException ?? new TimeoutException() : exception;
            throw new CheckFailedException(TransportFailures.Classify(cause, Tls, summary, _settings.Url.Scheme));
        }
    }

    private async Task<GatewayResponse> SendOnceAsync(Func<HttpRequestMessage> create, bool withKey, CancellationToken token)
    {
        using var request = create();
        if (withKey && HasKey)
        {
            // The key goes to the gateway's own origin only; redirects are never followed.
            if (EgressPolicy.OriginOf(request.RequestUri!) != EgressPolicy.OriginOf(_settings.Url))
            {
                throw new InvalidOperationException("refusing to send the key to another origin");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _settings.ApiKey);
        }

        Interlocked.Increment(ref _requestsSent);
        var started = Stopwatch.GetTimestamp();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
        var (body, tooLarge) = await CappedBody.ReadAsync(response, token);
        return new GatewayResponse(
            response.StatusCode,
            response.Headers,
            response.Content.Headers.ContentType?.MediaType,
            body,
            tooLarge,
            Stopwatch.GetElapsedTime(started)) { RequestedPath = request.RequestUri!.AbsolutePath };
    }

    private ResiliencePipeline<GatewayResponse> BuildPipeline(RetryProfile profile, Func<TimeSpan> remaining)
    {
        var builder = new ResiliencePipelineBuilder<GatewayResponse>();
        if (profile != RetryProfile.Once)
        {
            builder.AddRetry(new RetryStrategyOptions<GatewayResponse>
            {
                MaxRetryAttempts = MaxAttempts - 1,
                ShouldHandle = arguments => ValueTask.FromResult(ShouldRetry(profile, arguments.Outcome, remaining())),
                DelayGenerator = arguments => ValueTask.FromResult<TimeSpan?>(
                    Wait(arguments.AttemptNumber, arguments.Outcome.Result?.RetryAfter, remaining(), Random.Shared.NextDouble())),
            });
        }

        if (profile == RetryProfile.UntilReady)
        {
            builder.AddTimeout(AttemptTimeout);
        }

        return builder.Build();
    }

    private bool ShouldRetry(RetryProfile profile, Outcome<GatewayResponse> outcome, TimeSpan remaining)
    {
        // Leave room for one more attempt; past that, the last real outcome is the better report.
        if (remaining < TimeSpan.FromMilliseconds(300))
        {
            return false;
        }

        if (outcome.Exception is { } exception)
        {
            return profile == RetryProfile.UntilReady
                ? TransportFailures.IsRetryable(exception, RetryNameResolution)
                : exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
        }

        var response = outcome.Result!;
        if (response.RetryAfter is { } wait && wait > remaining)
        {
            return false;
        }

        return profile switch
        {
            RetryProfile.UntilReady => response.Code is 429 or 502 or 503 or 504,
            // A spent budget is LiteLLM's 429 too (budget_exceeded), but no wait brings the money back.
            RetryProfile.Chat => (response.Code is 429 && !response.Body.Contains("budget_exceeded", StringComparison.Ordinal)) || (response.Code is 503
                && response.RetryAfter is not null),
            _ => false,
        };
    }

    /// <summary>
    /// The wait before retry <paramref name="attempt"/> (0-based): exponential backoff with jitter from
    /// <see cref="MinimumWait"/> up to 4 s, longer when Retry-After asks for more, never shorter than
    /// the backoff (a Retry-After of 0 or a past date would hammer the gateway), and capped by the time
    /// left so that the next attempt can still answer before the deadline.
    /// </summary>
    public static TimeSpan Wait(int attempt, TimeSpan? retryAfter, TimeSpan remaining, double jitter)
    {
        var backoff = TimeSpan.FromMilliseconds(Math.Min(MaximumWait.TotalMilliseconds, MinimumWait.TotalMilliseconds * Math.Pow(2, Math.Min(attempt,
            10)) * (1 + (jitter * 0.25))));
        var wait = retryAfter is { } asked && asked > backoff ? asked : backoff;
        var ceiling = remaining - MinimumWait;
        return wait < ceiling ? wait : ceiling > MinimumWait ? ceiling : MinimumWait;
    }

    public void Dispose() => _http.Dispose();
}
