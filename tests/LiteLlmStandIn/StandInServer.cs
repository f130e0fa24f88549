using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LiteLlmStandIn;

/// <summary>A LiteLLM-shaped server on loopback: health, readiness, /health, models and chat completions.</summary>
public sealed class StandInServer : IAsyncDisposable
{
    public const string UpstreamApiBase = "https://upstream-secret.internal.example:9443/v1";
    public const string MockAnswer = "Hello from LiteLLM.";

    private readonly WebApplication _app;
    private readonly StandInOptions _options;
    private int _flakyCalls;
    private int _chatsNow;
    private int _mostChatsAtOnce;

    private StandInServer(WebApplication app, StandInOptions options)
    {
        _app = app;
        _options = options;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public int Port => BaseUrl.Port;

    /// <summary>Cancelled when the host stops (SIGTERM included).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>Every request seen: method, path and the headers that carry keys (for tests that check where a key went).</summary>
    public List<(string Method, string Path, string? Authorization)> Requests { get; } = [];

    /// <summary>The most chat completions that were in flight at the same time.</summary>
    public int MostChatsAtOnce => Volatile.Read(ref _mostChatsAtOnce);

    public static async Task<StandInServer> StartAsync(StandInOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            void Configure(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen)
            {
                if (options.Certificates is { } certificates)
                {
                    listen.UseHttps(certificates.IssueServerCertificate(options.ExpiredCertificate));
                }
            }

            kestrel.Listen(IPAddress.Loopback, options.Port, Configure);

            // "localhost" can resolve to ::1 first: a fixed port listens on both loopbacks (where IPv6 exists).
            if (options.Port != 0 && System.Net.Sockets.Socket.OSSupportsIPv6)
            {
                kestrel.Listen(IPAddress.IPv6Loopback, options.Port, Configure);
            }
        });
        var app = builder.Build();
        var server = new StandInServer(app, options);
        server.Map(app);
        await app.StartAsync();
        var address = app.Urls.First();
        var port = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
        server.BaseUrl = new Uri($"{(options.Certificates is null ? "http" : "https")}://localhost:{port}{options.RootPath}");
        return server;
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            lock (Requests)
            {
                Requests.Add((context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.Headers.Authorization.FirstOrDefault()));
            }

            if (_options.Delay > TimeSpan.Zero)
            {
                await Task.Delay(_options.Delay, context.RequestAborted);
            }

            var path = context.Request.Path.Value ?? string.Empty;
            if (_options.RootPath.Length > 0)
            {
                if (!path.StartsWith(_options.RootPath, StringComparison.Ordinal))
                {
                    await Json(context, 404, new JsonObject { ["detail"] = "Not Found" });
                    return;
                }

                context.Request.Path = path[_options.RootPath.Length..];
            }

            await next(context);
        });

        // Routing after the prefix is stripped, as behind LiteLLM's SERVER_ROOT_PATH.
        app.UseRouting();

        app.MapGet("/health/liveliness", Liveliness);
        app.MapGet("/health/liveness", Liveliness);
        app.MapGet("/health/readiness", Readiness);
        app.MapGet("/health", DeepHealth);
        app.MapGet("/key/info", KeyInfo);
        app.MapGet("/v1/models", Models);
        app.MapGet("/models", Models);
        app.MapPost("/v1/chat/completions", Chat);
        app.MapPost("/chat/completions", Chat);
        app.MapFallback(context => Json(context, 404, new JsonObject { ["detail"] = "Not Found" }));
    }

    private async Task Liveliness(HttpContext context)
    {
        switch (_options.Liveliness)
        {
            case LivelinessMode.HtmlPage:
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<!DOCTYPE html><html><body><h1>Sign in to the corporate network</h1></body></html>");
                return;
            case LivelinessMode.HugeBody:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("\"" + new string('a', 2 * 1024 * 1024) + "\"");
                return;
            case LivelinessMode.Redirect:
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = "https://login.example.com/sso?next=/health/liveliness";
                return;
            case LivelinessMode.ServerError:
                context.Response.StatusCode = 502;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>502 Bad Gateway</body></html>");
                return;
            default:
                // LiteLLM answers with a bare JSON string.
                await Json(context, 200, JsonValue.Create("I'm alive!"));
                return;
        }
    }

    /// <summary>
    /// LiteLLM's health_readiness (litellm/proxy/health_endpoints/_health_endpoints.py): 200 with status "healthy"
    /// and db "connected", "disconnected" (configured, but its health check failed) or "Not connected" (none
    /// configured); 503 "Service Unhealthy (…)" only when the handler itself raises.
    /// </summary>
    private Task Readiness(HttpContext context)
    {
        if (!_options.Ready)
        {
            return Json(context, 503, new JsonObject { ["detail"] = "Service Unhealthy (Database not connected)" });
        }

        return Json(context, 200, new JsonObject
        {
            ["status"] = "healthy",
            ["db"] = !_options.HasDatabase ? "Not connected" : _options.DatabaseDown ? "disconnected" : "connected",
            ["cache"] = null,
            ["litellm_version"] = _options.Version,
            ["success_callbacks"] = new JsonArray(),
        });
    }

    private Task DeepHealth(HttpContext context)
    {
        if (Authenticate(context) is { } denied)
        {
            return denied;
        }

        return Json(context, 200, new JsonObject
        {
            ["healthy_endpoints"] = new JsonArray(new JsonObject { ["model"] = "openai/gpt-4", ["api_base"] = UpstreamApiBase }),
            ["unhealthy_endpoints"] = new JsonArray(new JsonObject { ["model"] = "openai/broken", ["api_base"] = UpstreamApiBase, ["error"] = $"AuthenticationError at {UpstreamApiBase}" }),
            ["healthy_count"] = 1,
            ["unhealthy_count"] = 1,
        });
    }

    /// <summary>
    /// LiteLLM's info_key_fn (litellm/proxy/management_endpoints/key_management_endpoints.py): without a
    /// database a 500; the key from ?key= or else the one that authenticated; a key that is no row (the
    /// master key) a 404 not_found_error; else the row without its hashed token, with the key echoed.
    /// </summary>
    private Task KeyInfo(HttpContext context)
    {
        if (Authenticate(context) is { } denied)
        {
            return denied;
        }

        if (!_options.HasDatabase)
        {
            return Error(context, 500, "Database not connected. Connect a database to your proxy - https://docs.litellm.ai/docs/simple_proxy#managing-auth---virtual-keys", "internal_server_error");
        }

        var key = context.Request.Query["key"].FirstOrDefault() ?? context.Items["key"] as string ?? string.Empty;
        if (!_options.VirtualKeys.TryGetValue(key, out var row))
        {
            return Error(context, 404, "Key not found in database", "not_found_error", param: "key");
        }

        return Json(context, 200, new JsonObject
        {
            ["key"] = key,
            ["info"] = new JsonObject
            {
                ["key_name"] = Abbreviate(key),
                ["key_alias"] = row.Alias,
                ["spend"] = row.Spend,
                ["max_budget"] = row.MaxBudget,
                ["expires"] = row.Expires?.ToString("yyyy-MM-ddTHH:mm:ss.ffffff+00:00", System.Globalization.CultureInfo.InvariantCulture),
                ["models"] = new JsonArray((row.Models ?? []).Select(model => (JsonNode)JsonValue.Create(model)!).ToArray()),
                ["aliases"] = new JsonObject(),
                ["config"] = new JsonObject(),
                ["user_id"] = row.UserId,
                ["team_id"] = null,
                ["max_parallel_requests"] = null,
                ["metadata"] = new JsonObject(),
                ["tpm_limit"] = row.TpmLimit,
                ["rpm_limit"] = row.RpmLimit,
                ["budget_duration"] = null,
                ["budget_reset_at"] = null,
                ["allowed_cache_controls"] = new JsonArray(),
                ["allowed_routes"] = new JsonArray((row.AllowedRoutes ?? []).Select(route => (JsonNode)JsonValue.Create(route)!).ToArray()),
                ["permissions"] = new JsonObject(),
                ["model_spend"] = new JsonObject(),
                ["model_max_budget"] = new JsonObject(),
                ["blocked"] = null,
                ["litellm_budget_table"] = null,
                ["created_at"] = "2026-11-01T09:00:00.000000+00:00",
            },
        });
    }

    /// <summary>LiteLLM's abbreviate_api_key: sk-...last4.</summary>
    private static string Abbreviate(string key) => key.Length > 4 ? $"sk-...{key[^4..]}" : key;

    private Task Models(HttpContext context)
    {
        if (Authenticate(context) is { } denied)
        {
            return denied;
        }

        // model_list_endpoint: a key scoped to models lists only those.
        var models = context.Items["key"] is string key && _options.VirtualKeys.TryGetValue(key, out var row) && row.Models is { Count: > 0 } scoped
            ? _options.Models.Where(scoped.Contains)
            : _options.Models;
        var data = new JsonArray(models.Select(model => (JsonNode)new JsonObject { ["id"] = model, ["object"] = "model", ["created"] = 1677610602, ["owned_by"] = "openai" }).ToArray());
        return Json(context, 200, new JsonObject { ["data"] = data, ["object"] = "list" });
    }

    private async Task Chat(HttpContext context)
    {
        var now = Interlocked.Increment(ref _chatsNow);
        try
        {
            int most;
            while (now > (most = Volatile.Read(ref _mostChatsAtOnce)) && Interlocked.CompareExchange(ref _mostChatsAtOnce, now, most) != most)
            {
            }

            if (_options.ChatDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.ChatDelay, context.RequestAborted);
            }

            await AnswerChat(context);
        }
        finally
        {
            Interlocked.Decrement(ref _chatsNow);
        }
    }

    private async Task AnswerChat(HttpContext context)
    {
        if (Authenticate(context) is { } denied)
        {
            await denied;
            return;
        }

        JsonNode? request;
        try
        {
            request = await JsonNode.ParseAsync(context.Request.Body);
        }
        catch (JsonException)
        {
            await Error(context, 400, "Invalid JSON in request body", "invalid_request_error");
            return;
        }

        var model = request?["model"]?.GetValue<string>() ?? string.Empty;
        var stream = request?["stream"]?.GetValue<bool>() ?? false;
        if (!_options.Models.Contains(model))
        {
            await Error(context, 400, $"{{'error': '/chat/completions: Invalid model name passed in model={model}. Call `/v1/models` to view available models for your key.'}}", "None");
            return;
        }

        // auth_checks.py: a virtual key scoped to models may call only those.
        if (context.Items["key"] is string key && _options.VirtualKeys.TryGetValue(key, out var row) && row.Models is { Count: > 0 } allowed && !allowed.Contains(model))
        {
            await Error(context, 401, $"key not allowed to access model. This key can only access models=[{string.Join(", ", allowed.Select(name => $"'{name}'"))}]. Tried to access {model}", "key_model_access_denied", param: "model");
            return;
        }

        if (request?["max_tokens"]?.GetValue<int>() is > 4096 and var tooMany)
        {
            await Error(context, 400, $"litellm.BadRequestError: OpenAIException - max_tokens is too large: {tooMany}. This model supports at most 4096 completion tokens.", "invalid_request_error");
            return;
        }

        switch (model)
        {
            case "rate-limited":
                context.Response.Headers.RetryAfter = "120";
                await Error(context, 429, "litellm.RateLimitError: Rate limit reached for gpt-4", "throttling_error");
                return;
            case "flaky" when Interlocked.Increment(ref _flakyCalls) <= 2:
                context.Response.Headers.RetryAfter = "1";
                await Error(context, 429, "No deployments available for selected model, Try again in 1 seconds.", "None");
                return;
            case "boom":
                await Error(context, 500, "litellm.InternalServerError: upstream connection reset", "internal_server_error");
                return;
        }

        context.Response.Headers["x-litellm-version"] = _options.Version;
        context.Response.Headers["x-litellm-model-id"] = "0d7c5e0f4a9b";
        context.Response.Headers["x-litellm-model-api-base"] = UpstreamApiBase;
        var (content, finish) = model == "reasoning" ? (string.Empty, "length") : (MockAnswer, "stop");

        if (stream)
        {
            await Stream(context, model, content, finish);
            return;
        }

        await Json(context, 200, new JsonObject
        {
            ["id"] = "chatcmpl-standin",
            ["created"] = 1773817678,
            ["model"] = model,
            ["object"] = "chat.completion",
            ["system_fingerprint"] = null,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["finish_reason"] = finish,
                ["index"] = 0,
                ["message"] = new JsonObject { ["content"] = content, ["role"] = "assistant" },
            }),
            ["usage"] = new JsonObject { ["completion_tokens"] = 20, ["prompt_tokens"] = 10, ["total_tokens"] = 30 },
        });
    }

    private static async Task Stream(HttpContext context, string model, string content, string finish)
    {
        context.Response.ContentType = "text/event-stream";
        async Task Frame(string data)
        {
            await context.Response.WriteAsync($"data: {data}\n\n");
            await context.Response.Body.FlushAsync();
        }

        foreach (var word in content.Split(' '))
        {
            var delta = new JsonObject { ["content"] = word + " ", ["role"] = "assistant" };
            await Frame(new JsonObject { ["id"] = "chatcmpl-standin", ["model"] = model, ["object"] = "chat.completion.chunk", ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta }) }.ToJsonString());
        }

        if (model == "broken-stream")
        {
            await Frame(new JsonObject { ["error"] = new JsonObject { ["message"] = "litellm.APIConnectionError: upstream closed", ["type"] = "None", ["code"] = "500" } }.ToJsonString());
            return;
        }

        await Frame(new JsonObject { ["id"] = "chatcmpl-standin", ["model"] = model, ["object"] = "chat.completion.chunk", ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = new JsonObject(), ["finish_reason"] = finish }) }.ToJsonString());
        await Frame("[DONE]");
    }

    /// <summary>LiteLLM's key lookup order and its answers to a missing, malformed or unknown key.</summary>
    private Task? Authenticate(HttpContext context)
    {
        if (_options.MasterKey is null)
        {
            return null;
        }

        var headers = context.Request.Headers;
        string? key = headers["x-litellm-api-key"].FirstOrDefault();
        var authorization = headers.Authorization.FirstOrDefault();
        if (key is null && authorization is not null)
        {
            if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return Error(context, 401, "Authentication Error, Malformed API Key passed in. Ensure Key has `Bearer ` prefix.", "auth_error");
            }

            key = authorization["Bearer ".Length..];
        }

        key ??= headers["API-Key"].FirstOrDefault() ?? headers["x-api-key"].FirstOrDefault();
        if (string.IsNullOrEmpty(key))
        {
            return Error(context, 401, "Authentication Error, No api key passed in.", "auth_error");
        }

        context.Items["key"] = key;
        if (key == _options.MasterKey)
        {
            return null;
        }

        // user_api_key_auth.py: a known virtual key is refused when expired (400 expired_key, the key
        // abbreviated in param) on every route, and over its own budget (400 budget_exceeded) only on LLM
        // API routes (chat, completions, embeddings…), not on /key/info or /v1/models.
        if (_options.HasDatabase && _options.VirtualKeys.TryGetValue(key, out var row))
        {
            var now = DateTimeOffset.UtcNow;
            if (row.Expires is { } expires && expires < now)
            {
                return Error(context, 400, $"Authentication Error - Expired Key. Key Expiry time {expires:yyyy-MM-dd HH:mm:ss.ffffff+00:00} and current time {now:yyyy-MM-dd HH:mm:ss.ffffff+00:00}", "expired_key", param: Abbreviate(key));
            }

            var llmRoute = context.Request.Path.Value?.EndsWith("/chat/completions", StringComparison.Ordinal) ?? false;
            if (llmRoute && row.MaxBudget is { } budget && row.Spend >= budget)
            {
                return Error(context, 400, $"Budget has been exceeded! Current cost: {row.Spend}, Max budget: {budget}", "budget_exceeded", nullParam: true);
            }

            return null;
        }

        return _options.HasDatabase
            ? Error(context, 401, "Authentication Error, Invalid proxy server token passed. Unable to find token in cache or `LiteLLM_VerificationTokenTable`", "token_not_found_in_db")
            : Error(context, 400, "No connected db.", "no_db_connection", nullParam: true);
    }

    private Task Error(HttpContext context, int status, string message, string type, bool nullParam = false, string? param = null)
    {
        JsonNode code = _options.ErrorCodeAsNumber ? JsonValue.Create(status) : JsonValue.Create(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Json(context, status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = nullParam ? null : param ?? "None", ["code"] = code },
        });
    }

    private static async Task Json(HttpContext context, int status, JsonNode? body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body?.ToJsonString() ?? "null", Encoding.UTF8);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
