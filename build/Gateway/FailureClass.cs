namespace Build.Gateway;

/// <summary>
/// Every failure class the build reports, with its fix. The README's troubleshooting table is
/// checked against this list by a test, so the two cannot drift apart.
/// </summary>
public sealed record FailureClass(string Id, string Title, string Fix)
{
    public static readonly FailureClass Settings = new("settings", "A setting is missing or malformed",
        "Correct the settings listed above (README: Settings); values are never shown.");
    public static readonly FailureClass DnsNotFound = new("dns", "The gateway's host name was not found",
        "Check the host name; for a *.ts.net name, check that this machine is on the tailnet with MagicDNS on (`tailscale status`).");
    public static readonly FailureClass ConnectionRefused = new("refused", "The connection was refused",
        "Start the gateway (`litellm --config config.yaml --port 4000`) or correct the port; on the gateway host check `tailscale serve status`.");
    public static readonly FailureClass Timeout = new("timeout", "No answer within the deadline",
        "Check that the gateway is up and reachable (tailnet grants must allow tcp:8443); raise --deadline for slow starts.");
    public static readonly FailureClass TlsUntrusted = new("tls-untrusted", "The TLS certificate is not trusted",
        "Connect by the gateway's full *.ts.net name (its certificate is publicly trusted), or pass --ca-cert=PATH for a private CA. Never --insecure in CI.");
    public static readonly FailureClass TlsNameMismatch = new("tls-name-mismatch", "The TLS certificate does not match the host name",
        "Use the exact name the certificate was issued for (the node's full *.ts.net name), not an IP address or a short name.");
    public static readonly FailureClass TlsExpired = new("tls-expired", "The TLS certificate has expired or is not yet valid",
        "Renew the gateway's certificate (`tailscale serve` renews its own) and check both machines' clocks.");
    public static readonly FailureClass Tls = new("tls", "The TLS handshake failed",
        "Check that the port speaks HTTPS (an http:// gateway needs an http:// URL) and that the certificate is valid.");
    public static readonly FailureClass Redirect = new("redirect", "The gateway answered with a redirect",
        "Point --litellm-url at the final address; redirects are not followed so the key never leaves the gateway's origin.");
    public static readonly FailureClass Forbidden = new("forbidden", "The key is not allowed here (403)",
        "Use a key that may call this route and model, or widen the key's allowed models.");
    public static readonly FailureClass NotFound = new("not-found", "The health path was not found (404)",
        "Include LiteLLM's SERVER_ROOT_PATH prefix in the URL (https://host:8443/prefix) if the proxy has one, or set --health-path for a " +
            "gateway that is not LiteLLM.");
    public static readonly FailureClass ChatNotFound = new("chat-not-found", "The OpenAI-compatible API was not found (404)",
        "Give the gateway's root (with LiteLLM's SERVER_ROOT_PATH prefix if it has one) and nothing after it: requests add /v1/chat/completions themselves.");
    public static readonly FailureClass ServerError = new("server-error", "The gateway failed (5xx)",
        "Read the gateway's log: the proxy or its upstream provider failed.");
    public static readonly FailureClass Rejected = new("rejected", "The gateway rejected the request (4xx)",
        "Read the gateway's message in the detail and check --model and --max-tokens against what the gateway accepts.");
    public static readonly FailureClass NotReady = new("not-ready", "The gateway says it is not ready (readiness)",
        "Check the gateway's database and cache connections (`/health/readiness` says which).");
    public static readonly FailureClass NotGateway = new("not-gateway", "Something other than the gateway answered",
        "Check the URL and port: the answer was not the gateway's (an HTML page from a proxy or portal?).");
    public static readonly FailureClass NotLiteLlm = new("not-litellm", "LiteLLM's health path did not answer as LiteLLM does",
        "Check the URL and port: something else answers there (a catch-all proxy?). For an OpenAI-compatible server that is not LiteLLM, set " +
            "--health-path to its own health endpoint.");
    public static readonly FailureClass GatewayError = new("gateway-error", "The gateway reported an error inside its answer",
        "Read the gateway's log for this model: it answered, but the answer carries an error (an upstream failure passed through).");
    public static readonly FailureClass KeyUnverified = new("key-unverified", "The key could not be checked against the key policy",
        "Give the gateway a database and store a scoped virtual key as LITELLM_API_KEY (README: KeyCheck), or run with --key-policy=warn to accept the risk.");
    public static readonly FailureClass BodyTooLarge = new("body-too-large", "The answer was larger than 1 MiB",
        "Check that the URL points at the gateway; a health or chat answer is small.");
    public static readonly FailureClass UnknownModel = new("unknown-model", "The gateway does not serve this model",
        "Set --model or LITELLM_MODEL to one of the models the gateway serves.");
    public static readonly FailureClass BadKey = new("bad-key", "The gateway rejected the key",
        "Set LITELLM_API_KEY to a valid key; a LiteLLM without a database answers a wrong key with 400 no_db_connection.");
    public static readonly FailureClass MissingKey = new("missing-key", "No key was sent and the gateway needs one",
        "Set LITELLM_API_KEY (a GitHub secret in the workflow, an environment variable on a laptop).");
    public static readonly FailureClass KeyBudget = new("key-budget", "The key has spent its budget",
        "Raise the key's max_budget (POST /key/update) or store a new key as LITELLM_API_KEY; KeyCheck reports spend and budget.");
    public static readonly FailureClass RateLimited = new("rate-limited", "The gateway is rate limiting (429)",
        "Wait and rerun `./build.sh --target=ChatSmoke --exclusive`, or raise the key's limits.");
    public static readonly FailureClass SweepBudget = new("sweep-budget", "A model was not reached within ChatSmoke's budget for all models",
        "Name fewer models, fix the slow ones the table lists, or raise --sweep-deadline (the default is twice --deadline).");
    public static readonly FailureClass NoModels = new("no-models", "The gateway lists no models for this key (--model=all)",
        "Check the proxy's model_list and the key's models (KeyCheck reports them), or name the models: --model=gpt-4,gpt-4o-mini.");
    public static readonly FailureClass EmptyContent = new("empty-content", "The model answered with empty content (max tokens reached)",
        "Reasoning models can spend every token thinking: raise --max-tokens (for example --max-tokens=256).");
    public static readonly FailureClass BodyBroken = new("body-broken", "The connection closed in the middle of the answer",
        "Read the gateway's log (a crash or a restart?) and what sits in front of it (tailscale serve, a proxy); then rerun.");
    public static readonly FailureClass HeadersTooLarge = new("headers-too-large", "The answer's headers were larger than allowed",
        "Check that the URL points at the gateway itself: a proxy or portal in between sends oversized headers.");
    public static readonly FailureClass SchemeMismatch = new("scheme-mismatch", "The port speaks another protocol than the URL says",
        "Use https:// for a TLS port (tailscale serve --https=8443) and http:// for a plain one (litellm --port 4000).");
    public static readonly FailureClass NotAnAnswer = new("not-an-answer", "The gateway answered with a status that carries no answer (1xx, 304)",
        "Check what sits between you and the gateway: a proxy or cache that rewrites requests; LiteLLM answers 2xx or an error.");
    public static readonly FailureClass InvalidAnswer = new("invalid-answer", "The answer had no choices[0].message.content",
        "Check that the gateway is OpenAI-compatible and that the model returns text.");
    public static readonly FailureClass StreamBroken = new("stream-broken", "The stream broke off or carried an error",
        "Read the gateway's log; retry without --stream to see the plain error.");
    public static readonly FailureClass UnhealthyModels = new("unhealthy-models", "Some models failed the deep health check",
        "Fix the listed models' upstream credentials or endpoints in the proxy config.");
    public static readonly FailureClass TailscaleNotFound = new("tailscale-not-found", "tailscale is not installed here",
        "Install Tailscale (tailscale.com/download) and run `tailscale up`, or use --tailnet=join, which installs the pinned version.");
    public static readonly FailureClass TailscaledNotRunning = new("tailscaled-not-running", "tailscaled is not running",
        "Start Tailscale (the app, or `sudo systemctl start tailscaled`), or use --tailnet=join.");
    public static readonly FailureClass TailnetLoggedOut = new("tailnet-logged-out", "This machine is not connected to the tailnet",
        "Run `tailscale up` (and log in), or use --tailnet=join with TS_OAUTH_SECRET.");
    public static readonly FailureClass TailnetNoCredentials = new("tailnet-no-credentials", "No way to reach the tailnet",
        "Run `tailscale up` on this machine (reuse), or set TS_OAUTH_SECRET with TS_OAUTH_CLIENT_ID, TS_OAUTH_CLIENT_ID with " +
            "TS_AUDIENCE, or TS_AUTHKEY (join).");
    public static readonly FailureClass TailnetTags = new("tailnet-tags", "The requested tags are invalid or not permitted",
        "Add the tag (--tailnet-tags, default tag:ci) to tagOwners in the tailnet policy and select it on the OAuth client.");
    public static readonly FailureClass TailnetForbidden = new("tailnet-forbidden", "The OAuth client may not create auth keys (403)",
        "Give the OAuth client the writable auth_keys scope and the tag:ci tag.");
    public static readonly FailureClass TailnetInvalidKey = new("tailnet-invalid-key", "The auth key or OAuth secret is invalid or expired",
        "Create a new OAuth client secret or auth key and update the GitHub secret.");
    public static readonly FailureClass TailnetUpTimeout = new("tailnet-up-timeout", "tailscale up did not reach Running in time",
        "Check the control plane is reachable (harden-runner allowed endpoints: controlplane.tailscale.com:443, " +
            "login.tailscale.com:443, DERP) and raise --deadline.");
    public static readonly FailureClass GatewayNotPeer = new("gateway-not-peer", "The gateway is not among this node's tailnet peers",
        "Use the gateway node's full MagicDNS name (node.tailXXXX.ts.net) or its 100.x address, and check that the grants let tag:ci see it.");
    public static readonly FailureClass PeerOffline = new("peer-offline", "The gateway's tailnet node is offline",
        "Start Tailscale on the gateway host and check `tailscale serve status` there.");
    public static readonly FailureClass PingNoReply = new("ping-no-reply", "The gateway's node does not answer tailscale ping",
        "In CI, run harden-runner with egress-policy: audit in tailnet jobs (block mode drops DERP relay traffic); otherwise check the grants: tag:ci must " +
            "reach the gateway's tag on tcp:8443 (README: Tailnet policy).");
    public static readonly FailureClass ChecksumMismatch = new("checksum-mismatch", "The Tailscale download does not match its SHA-256",
        "Do not use it: check --tailscale-pkgs-url and retry later; report it if it persists.");
    public static readonly FailureClass PackageSignature = new("package-signature", "The Tailscale download does not carry Tailscale's signature",
        "Do not use it: the download was altered or is not a release; check --tailscale-pkgs-url and --tailscale-version.");
    public static readonly FailureClass PackageSigningKeys = new("package-signing-keys",
        "The packages site's signing keys are not signed by a trusted root key",
        "Do not use the site: check --tailscale-pkgs-url; for a mirror, give its roots with --tailscale-root-keys=PATH.");
    public static readonly FailureClass PackageRedirect = new("package-redirect", "The packages site redirected outside its own domain",
        "Do not follow it: check --tailscale-pkgs-url; a mirror must serve its files or redirect within its own domain, over https.");
    public static readonly FailureClass TailscaleDownload = new("tailscale-download", "Tailscale could not be downloaded",
        "Allow pkgs.tailscale.com:443 (harden-runner allowed endpoints), or put tailscale and tailscaled on PATH.");
    public static readonly FailureClass OidcToken = new("oidc-token", "GitHub's OIDC token could not be obtained",
        "Give the job `permissions: id-token: write` for workload identity federation.");
    public static readonly FailureClass JoinUnsupported = new("join-unsupported", "--tailnet=join runs on Linux and macOS only",
        "On Windows run `tailscale up` and use --tailnet=reuse.");
    public static readonly FailureClass TailscaleFailed = new("tailscale-failed", "tailscale failed",
        "Rerun with --verbosity=diagnostic to see tailscale's own message (secrets stay redacted).");
    public static readonly FailureClass WorkflowAudit = new("workflow-audit", "The workflow audit found errors",
        "Fix each finding printed above (PATH:LINE: error RULE-ID: message — fix), then rerun `./build.sh --target=Harden --exclusive`.");
    public static readonly FailureClass NoWorkflows = new("no-workflows", "No workflows were found to audit",
        "Run ./build.sh from the repository's checkout, or pass --workflows=DIR.");
    public static readonly FailureClass EgressBlocked = new("egress-blocked", "A destination outside the egress allowlist was refused",
        "Only the gateway (and Tailscale while joining) may be contacted; check the URL, or use --egress=audit to investigate.");
    public static readonly FailureClass KeyPolicy = new("key-policy", "The key CI holds breaks the key policy",
        "Store a virtual key scoped to the smoke models with a small budget as LITELLM_API_KEY (README: KeyCheck has the /key/generate call), or pass " +
            "--key-policy=warn to report only.");
    public static readonly FailureClass Cancelled = new("cancelled", "The run was cancelled", "Rerun when ready; the tailnet node, if any, was logged out.");
    public static readonly FailureClass Unexpected = new("unexpected", "An unexpected error occurred",
        "Rerun with --verbosity=diagnostic and report it with the log (secrets stay redacted).");

    public static IReadOnlyList<FailureClass> All =>
        typeof(FailureClass).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(member => member.FieldType == typeof(FailureClass))
            .Select(member => (FailureClass)member.GetValue(null)!)
            .ToList();
}
