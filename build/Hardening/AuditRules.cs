using Build.Core;

namespace Build.Hardening;

/// <summary>One audit rule: its id, its usual severity, what it flags and a title (README: Harden; SARIF rule metadata).</summary>
public sealed record AuditRule(string Id, Severity Severity, string Flags, string Title);

/// <summary>The rule ids of the workflow audit, with what each flags.</summary>
public static class AuditRules
{
    public const string UnpinnedUses = "unpinned-uses";
    public const string ExcessivePermissions = "excessive-permissions";
    public const string TemplateInjection = "template-injection";
    public const string SecretsInRun = "secrets-in-run";
    public const string DangerousTriggers = "dangerous-triggers";
    public const string Artipacked = "artipacked";
    public const string SecretsInherit = "secrets-inherit";
    public const string OverprovisionedSecrets = "overprovisioned-secrets";
    public const string GitHubEnv = "github-env";
    public const string InsecureCommands = "insecure-commands";
    public const string UnpinnedImages = "unpinned-images";
    public const string BotConditions = "bot-conditions";
    public const string UnsoundCondition = "unsound-condition";
    public const string CachePoisoning = "cache-poisoning";
    public const string SelfHostedRunner = "self-hosted-runner";
    public const string HardenRunnerFirst = "harden-runner-first";
    public const string HardenRunnerAudit = "harden-runner-audit";
    public const string HardenRunnerBlocksTailnet = "harden-runner-blocks-tailnet";
    public const string ArtifactPoisoning = "artifact-poisoning";
    public const string Syntax = "syntax";

    public static readonly IReadOnlyList<AuditRule> All =
    [
        new(UnpinnedUses, Severity.Error, "`uses:` (steps and job-level reusable workflows) not pinned to a 40-hex commit (local `./` exempt; `docker://` needs `@sha256:`); a look-alike name is not the real action", "Action or reusable workflow not pinned to a commit"),
        new(ExcessivePermissions, Severity.Error, "as zizmor judges it: with no permissions anywhere, each job without its own (always a job that calls a reusable workflow; not a normal job of a `workflow_call`-only workflow, whose caller decides); at the top, only when several jobs lean on it: `write-all`, `read-all` or a `write` (no top-level permissions at all is reported once per job that leans on it, not also at the top); `write-all` on a job, or at the top of a one-job workflow (`read-all` there: a warning); a warning for each write scope a job holds that no step can use (no `git push`, `gh` or API call, no token passed on, no action of `TokenScopes` that needs it)", "Token permissions broader than the jobs need"),
        new(TemplateInjection, Severity.Error, "`${{ … }}` pasted into `run:` or into an input that runs as code (`actions/github-script` `script`, and CodeQL's code-injection models in `build/Hardening/Data/code-injection-sinks.yml`), by the taint of its value: an outsider's (titles, bodies, branch names, `type: string` inputs, `github.head_ref`…) is an error; a value Harden cannot trace (an action's output, an env value set at run time, command output) a warning that says why; a fixed one (SHAs, numbers and ids, `author_association`, repository and owner names, outcomes, literals, `choice`/`boolean`/`number` inputs, true or false from a comparison, `!` or one `contains`/`startsWith`/`endsWith` call) nothing. Taint is followed through `env:`, `$GITHUB_ENV` and `$GITHUB_OUTPUT` writes, `steps.*.outputs.*`, `needs.*.outputs.*`, the matrix and `format`/`join`/`toJSON`/`fromJSON` (see [Taint classes](#taint-classes))", "Outsider-controlled expression pasted into code"),
        new(SecretsInRun, Severity.Warning, "`${{ secrets.* }}` pasted into a script: a quote in the secret breaks the script and the value lands in the script file; pass it through `env:`", "Secret pasted into a script"),
        new(DangerousTriggers, Severity.Error, "`pull_request_target`, `workflow_run`, or a comment trigger (`issue_comment`, `pull_request_review_comment`, `pull_request_review`): an error when the workflow brings in the untrusted head (`actions/checkout` of the pull request's ref or SHA, written directly or through `env:`, a step output, `fromJSON` or a file from an artifact; `gh pr checkout`; `git fetch … pull/N/head`; another run's artifact downloaded into the workspace), naming the later step that runs code from it; a warning when a checkout's ref cannot be traced; for the first two otherwise a warning; nothing when every step of every job is an action that never touches the head (`TriggerSafeActions`: `actions/labeler`, `actions/first-interaction`, `amannn/action-semantic-pull-request`, harden-runner)", "Privileged trigger that can run untrusted code"),
        new(Artipacked, Severity.Error, "`actions/checkout` without `persist-credentials: false` (a warning when a later step pushes with git and needs it; nothing when checkout is the job's last step)", "Checkout leaves the token in the workspace"),
        new(SecretsInherit, Severity.Error, "`secrets: inherit`", "Every secret passed to a reusable workflow"),
        new(OverprovisionedSecrets, Severity.Error, "`toJSON(secrets)`", "Every secret serialised into one value"),
        new(GitHubEnv, Severity.Error, "a write to `GITHUB_ENV` or `GITHUB_PATH` of an outsider-chosen value, or any such write in a `pull_request_target`/`workflow_run` workflow", "Untrusted value written to GITHUB_ENV or GITHUB_PATH"),
        new(InsecureCommands, Severity.Error, "`ACTIONS_ALLOW_UNSECURE_COMMANDS` set at workflow, job or step level", "Unsafe workflow commands re-enabled"),
        new(UnpinnedImages, Severity.Error, "a job `container:` or `services:` image without a digest: untagged or `latest` is an error, another tag a warning", "Container image not pinned to a digest"),
        new(BotConditions, Severity.Error, "an `if:` that trusts `github.actor` or `github.triggering_actor` `== '…[bot]'` (spoofable; check `github.event.pull_request.user.login`)", "Spoofable bot check in a condition"),
        new(UnsoundCondition, Severity.Error, "an `if:` whose `${{ … }}` does not span the whole value (text around it, or the newline a `|` block keeps): GitHub then evaluates a non-empty string, which is always true", "Condition that is always true"),
        new(CachePoisoning, Severity.Error, "a cache restored (`actions/cache`, a `setup-*` action's `cache:`) in a workflow that publishes releases or packages", "Cache restored in a workflow that publishes"),
        new(SelfHostedRunner, Severity.Error, "a `self-hosted` runner in a workflow that pull requests from forks or issue comments trigger", "Self-hosted runner reachable from forks"),
        new(HardenRunnerFirst, Severity.Error, "a job with steps that does not start with `step-security/harden-runner`", "Job that does not start with harden-runner"),
        new(HardenRunnerAudit, Severity.Warning, "harden-runner's `egress-policy` is not `block`; in a job that joins a tailnet the warning says that audit is required there", "harden-runner records egress instead of blocking it"),
        new(HardenRunnerBlocksTailnet, Severity.Error, "a job that joins a tailnet (uses `tailscale/github-action`, runs `tailscale up`, or runs `build.sh`/`build.ps1` with a target that reaches it: none, a variable, `Verify`, `Default`, `Summary`, `ConnectTailnet`, `HealthCheck`, `KeyCheck`, `ChatSmoke`; not with `--tailnet=off`) under harden-runner's block mode (also when `egress-policy` is omitted: block is its default)", "harden-runner block mode in a job that joins a tailnet"),
        new(ArtifactPoisoning, Severity.Error, "under `workflow_run`, another run's artifact downloaded into the workspace or unpacked over it (`actions/download-artifact` with `run-id`, `dawidd6/action-download-artifact`, a github-script or `gh`/`curl` API download, then `unzip`/`tar`) before a step that runs code from the workspace (a build, a script, a package install, a local action, a `require` of a workspace file); nothing when it lands under `${{ runner.temp }}` (a download nothing runs after is dangerous-triggers')", "Another run's artifact unpacked over the code that runs next"),
        new(Syntax, Severity.Error, "a file that is not one readable workflow: does not parse, is empty or not a mapping, holds several documents, nests too deep, uses complex keys, merge keys (`<<:`, which GitHub refuses) or aliases that expand too far; a symlink or other non-regular file is skipped with a warning", "Workflow file that cannot be read as one workflow"),
    ];

    public const string HardenRunnerAction = "step-security/harden-runner";
    public const string CheckoutAction = "actions/checkout";
    public const string TailscaleAction = "tailscale/github-action";

    /// <summary>harden-runner's <c>egress-policy</c> when the input is omitted (its action.yml at v2.20.1).</summary>
    public static readonly string HardenRunnerDefaultPolicy = "block";

    /// <summary>Why a job that joins a tailnet needs harden-runner in audit mode (README: Security model).</summary>
    public static readonly string TailnetNeedsAudit =
        "block mode cannot carry a tailnet: tailscaled dials DERP relays by IP address, which harden-runner's DNS-based firewall never opens, and UDP is dropped";

    /// <summary>True when <paramref name="uses"/> names exactly this action (any ref), not a look-alike such as owner/action-x.</summary>
    public static bool IsAction(string? uses, string action) =>
        uses is not null && uses.StartsWith(action + "@", StringComparison.OrdinalIgnoreCase);
}
