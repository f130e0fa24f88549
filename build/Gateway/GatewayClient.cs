using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
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
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private readonly HttpClient _http;
    private readonly VerifySettings _settings;

    public GatewayClient(VerifySettings settings, EgressPolicy egress, IWebProxy? proxy = null, bool retryNameResolution = false)
    {
        _settings = settings;
        RetryNameResolution = retryNameResolution;
        Tls = new TlsInspector(settings.ExtraTrust, settings.Insecure);
        egress.Allow(settings.GatewayUrl);
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = proxy is not null,
            Proxy = proxy,
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(10, settings.Deadline.TotalSeconds)),
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = { RemoteCertificateValidationCallback = Tls.Validate },
        };
        _http = new HttpClient(new EgressHandler(egress, sockets)) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(BuildInfo.UserAgent);
    }

    public TlsInspector Tls { get; }

    public bool RetryNameResolution { get; }

    public bool HasKey => !string.IsNullOrEmpty(_settings.ApiKey);

    public Uri Url(string path) => new(_settings.GatewayUrl.AbsoluteUri.TrimEnd('/') + path);

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
        var pipeline = BuildPipeline(profile, () => _settings.Deadline - deadline.Elapsed);

        try
        {
            return await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    try
                    {
                        return await SendOnceAsync(create, withKey, token);
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
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutRejectedException or HttpRequestException or System.Security.Authentication.AuthenticationException)
        {
            var summary = $"{attempts} attempt{(attempts == 1 ? string.Empty : "s")} in {deadline.Elapsed.TotalSeconds:0.#} s";
            var cause = exception is OperationCanceledException ? lastException ?? new TimeoutException() : exception;
            throw new CheckFailedException(TransportFailures.Classify(cause, Tls, summary));
        }
    }

    private async Task<GatewayResponse> SendOnceAsync(Func<HttpRequestMessage> create, bool withKey, CancellationToken token)
    {
        using var request = create();
        if (withKey && HasKey)
        {
            // The key goes to the gateway's own origin only; redirects are never followed.
            if (EgressPolicy.OriginOf(request.RequestUri!) != EgressPolicy.OriginOf(_settings.GatewayUrl))
            {
                throw new InvalidOperationException("refusing to send the key to another origin");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _settings.ApiKey);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
        var (body, tooLarge) = await CappedBody.ReadAsync(response, token);
        return new GatewayResponse(
            response.StatusCode,
            response.Headers,
            response.Content.Headers.ContentType?.MediaType,
            body,
            tooLarge,
            Stopwatch.GetElapsedTime(started));
    }

    private ResiliencePipeline<GatewayResponse> BuildPipeline(RetryProfile profile, Func<TimeSpan> remaining)
    {
        var builder = new ResiliencePipelineBuilder<GatewayResponse>();
        if (profile != RetryProfile.Once)
        {
            builder.AddRetry(new RetryStrategyOptions<GatewayResponse>
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(4),
                ShouldHandle = arguments => ValueTask.FromResult(ShouldRetry(profile, arguments.Outcome, remaining())),
                DelayGenerator = arguments => ValueTask.FromResult(
                    arguments.Outcome.Result?.RetryAfter is { } wait ? (TimeSpan?)Clamp(wait, remaining()) : null),
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
            RetryProfile.Chat => response.Code is 429 || (response.Code is 503 && response.RetryAfter is not null),
            _ => false,
        };
    }

    private static TimeSpan Clamp(TimeSpan wait, TimeSpan remaining)
    {
        var ceiling = remaining - TimeSpan.FromMilliseconds(250);
        return wait < ceiling ? wait : ceiling > TimeSpan.Zero ? ceiling : TimeSpan.Zero;
    }

    public void Dispose() => _http.Dispose();
}
