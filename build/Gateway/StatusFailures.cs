namespace Build.Gateway;

/// <summary>Classifies answers that are not a success, for any endpoint.</summary>
public static class StatusFailures
{
    public static Failure Classify(GatewayResponse response, string what, bool keySent)
    {
        if (response.TooLarge)
        {
            return Failure.Of(FailureClass.BodyTooLarge);
        }

        var code = response.Code;
        var envelope = ErrorEnvelope.From(response.Body);
        var said = envelope is null ? string.Empty : $": {envelope.ShortMessage}";
        // LiteLLM's refusals of a known key (litellm/proxy/auth/user_api_key_auth.py, auth_checks.py): their
        // status moved between versions (expired_key 400 then 401, budget_exceeded 400 then 429,
        // key_model_access_denied 401 then 403); their type did not.
        switch (envelope?.Type)
        {
            case "expired_key":
                return Failure.Of(FailureClass.BadKey, $"{what} answered {code} expired_key: the key has expired");
            case "budget_exceeded":
                return Failure.Of(FailureClass.KeyBudget, $"{what} answered {code} budget_exceeded{said}");
            case "key_model_access_denied":
                return Failure.Of(FailureClass.Forbidden, $"{what} answered {code} key_model_access_denied{said}");
        }

        return code switch
        {
            < 200 or 304 => Failure.Of(FailureClass.NotAnAnswer, $"{what} answered {code}"),
            >= 300 and < 400 => Failure.Of(FailureClass.Redirect, $"{what} answered {code} redirecting to {RedirectOrigin(response)}"),
            401 => keySent
                ? Failure.Of(FailureClass.BadKey, $"{what} answered 401: the key was rejected{said}")
                : Failure.Of(FailureClass.MissingKey, $"{what} answered 401: no key was sent{said}"),
            400 when envelope?.Mentions("no_db_connection") == true || envelope?.Mentions("No connected db") == true =>
                Failure.Of(FailureClass.BadKey, $"{what} answered 400 no_db_connection: LiteLLM rejects this key (no database to look it up)"),
            403 => Failure.Of(FailureClass.Forbidden, $"{what} answered 403{said}"),
            404 => Failure.Of(what.StartsWith("/v1/", StringComparison.Ordinal) ? FailureClass.ChatNotFound : FailureClass.NotFound,
                $"{what} answered 404 (requested {response.RequestedPath ?? what})"),
            429 when response.RetryAfter is { } wait => Failure.Of(FailureClass.RateLimited,
                $"{what} answered 429 and asked for {wait.TotalSeconds:0} s before a retry{said}"),
            429 => Failure.Of(FailureClass.RateLimited, $"{what} answered 429 until the deadline{said}"),
            503 when response.Body.Contains("Unhealthy", StringComparison.OrdinalIgnoreCase) =>
                Failure.Of(FailureClass.NotReady, $"{what} answered 503: {envelope?.ShortMessage ?? FirstLine(response.Body)}"),
            >= 500 when response.LooksLikeHtml => Failure.Of(FailureClass.NotGateway, $"{what} answered {code} with an HTML page"),
            >= 500 => Failure.Of(FailureClass.ServerError, $"{what} answered {code}{said}"),
            _ when response.LooksLikeHtml => Failure.Of(FailureClass.NotGateway, $"{what} answered {code} with an HTML page"),
            >= 400 and < 500 => Failure.Of(FailureClass.Rejected, $"{what} answered {code}{said}"),
            _ => Failure.Of(FailureClass.NotAnAnswer, $"{what} answered {code}{said}"),
        };
    }

    public static string FirstLine(string text) =>
        Shorten(text.ReplaceLineEndings("\n").Split('\n', 2)[0].Trim().Trim('"'));

    /// <summary>
    /// Text from outside shown in a detail line: marked to be cut to 160 characters once redacted (see
    /// <see cref="Security.Redactor.Cut"/>), so a cut never leaves part of a secret behind. Anything past
    /// 4 KiB is dropped here already; a key crossing that point is still caught as a run of its characters.
    /// </summary>
    public static string Shorten(string line) => Security.Redactor.Cut(line.Length <= 4096 ? line : line[..4096]);

    private static string RedirectOrigin(GatewayResponse response)
    {
        var location = response.Headers.Location;
        if (location is null)
        {
            return "an unnamed location";
        }

        return location.IsAbsoluteUri ? $"{location.Scheme}://{location.Authority}" : "a path on the same origin";
    }
}
