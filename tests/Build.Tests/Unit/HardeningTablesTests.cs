using Build.Hardening;

namespace Build.Tests.Unit;

/// <summary>
/// The tables the rules read (contexts, injection sinks, cache-aware and publishing actions), checked entry by
/// entry: a row lost or mistyped changes what the audit trusts, and no golden file would notice.
/// </summary>
[TestFixture]
public sealed class HardeningTablesTests
{
    [TestCase("${{ github . head_ref }}", "github.head_ref")]
    [TestCase("${{ vars.NAME }}", "vars.NAME")]
    [TestCase("${{ env.NAME }}", "env.NAME")]
    [TestCase("${{ inputs.name }}", "inputs.name")]
    [TestCase("${{ matrix.os }}", "matrix.os")]
    [TestCase("${{ steps.s.outputs.o }}", "steps.s.outputs.o")]
    [TestCase("${{ needs.a.outputs.b }}", "needs.a.outputs.b")]
    [TestCase("${{ secrets.TOKEN }}", "secrets.TOKEN")]
    [TestCase("${{ runner.os }}", "runner.os")]
    [TestCase("${{ job.status }}", "job.status")]
    [TestCase("${{ jobs.a.outputs.b }}", "jobs.a.outputs.b")]
    [TestCase("${{ strategy.job-index }}", "strategy.job-index")]
    [TestCase("${{ github.event['pull_request'].title }}", "github.event['pull_request'].title")]
    [TestCase("${{ contains(github.event.issue.title, 'github.head_ref') }}", "github.event.issue.title")]
    [TestCase("${{ format('{0}', github.sha) == github.sha }}", "github.sha")]
    public void An_expression_reads_the_contexts_written_in_it(string text, string context)
    {
        Assert.That(Expressions.In(text).Single().Contexts, Is.EqualTo(new[] { context }));
    }

    [TestCase("${{ unknown.value }}")]
    [TestCase("${{ 'github.head_ref' }}")]
    [TestCase("${{ toJSON('x') }}")]
    [TestCase("${{ true }}")]
    public void Words_that_are_no_context_are_not_contexts(string text)
    {
        Assert.That(Expressions.In(text).Single().Contexts, Is.Empty);
    }

    [Test]
    public void Every_expression_is_found_with_where_it_starts_and_its_text()
    {
        var found = Expressions.In("a ${{ github.sha }} b ${{\n github.head_ref }} c").ToList();

        Assert.That(found.Select(expression => (expression.Index, expression.Text)), Is.EqualTo(new[] { (2, "${{ github.sha }}"), (22, "${{\n github.head_ref }}") }));
        Assert.That(found[1].Contexts, Is.EqualTo(new[] { "github.head_ref" }));
    }

    [TestCase("github.sha", true)]
    [TestCase("GITHUB.SHA", true)]
    [TestCase("github.event.pull_request.head.sha", true)]
    [TestCase("steps.build.outcome", true)]
    [TestCase("steps.build.outputs.tag", false)]
    [TestCase("needs.build.result", true)]
    [TestCase("needs.build.outputs.tag", false)]
    [TestCase("job.services.db.id", true)]
    [TestCase("job.services.db.ports", false)]
    [TestCase("strategy.job-index", true)]
    [TestCase("strategy.matrix.os", false)]
    [TestCase("strategy", false)]
    [TestCase("github.head_ref", false)]
    [TestCase("github.event['number']", true)]
    [TestCase("github['event']['pull_request'][\"number\"]", true)]
    [TestCase("needs['test-matrix']['result']", true)]
    [TestCase("needs.TEST_MATRIX['result']", true)]
    [TestCase("github.triggering_actor", true)]
    [TestCase("github.actor", true)]
    [TestCase("github['event']['issue']['title']", false)]
    [TestCase("github.event[github.head_ref]", false)]
    [TestCase("github.event.commits[0].id", true)] // a commit's id is its SHA
    [TestCase("github.event.comment.id", true)]
    [TestCase("github.event.pull_request.author_association", true)]
    [TestCase("github.event.check_suite.head_branch", false)]
    [TestCase("github.event.client_payload.build_id", false)]
    [TestCase("github.event.inputs.run_number", false)]
    [TestCase("github.repository_owner", true)]
    [TestCase("github.sha.extra", false)]
    public void A_context_is_fixed_only_when_nobody_outside_can_choose_it(string context, bool isFixed)
    {
        Assert.That(Expressions.IsFixed(context), Is.EqualTo(isFixed));
    }

    [TestCase("github.event.issue.title", TaintClass.Attacker)]
    [TestCase("GitHub.Event.Issue.Title", TaintClass.Attacker)]
    [TestCase("github.event", TaintClass.Attacker)]
    [TestCase("github", TaintClass.Attacker)]
    [TestCase("github.head_ref", TaintClass.Attacker)]
    [TestCase("github.ref_name", TaintClass.Attacker)]
    [TestCase("github.event.inputs.build_id", TaintClass.Attacker)]
    [TestCase("github.event.client_payload.number", TaintClass.Attacker)]
    [TestCase("github.event[inputs.field]", TaintClass.Attacker)]
    [TestCase("inputs", TaintClass.Attacker)]
    [TestCase("github.event.pull_request.number", TaintClass.Fixed)]
    [TestCase("github.event.comment.user_id", TaintClass.Fixed)]
    [TestCase("github.event.workflow_run.run_number", TaintClass.Fixed)]
    [TestCase("github.event.review.author_association", TaintClass.Fixed)]
    [TestCase("vars.REGION", TaintClass.Fixed)]
    [TestCase("steps.build.outcome", TaintClass.Fixed)]
    [TestCase("steps.build.outputs.tag", TaintClass.Unknown)]
    [TestCase("needs.build.outputs.tag", TaintClass.Unknown)]
    [TestCase("env.NAME", TaintClass.Unknown)]
    [TestCase("matrix.os", TaintClass.Unknown)]
    [TestCase("inputs.name", TaintClass.Unknown)]
    [TestCase("github.workflow", TaintClass.Unknown)]
    [TestCase("steps[matrix.id].outputs.tag", TaintClass.Unknown)]
    [TestCase("runner.os.extra", TaintClass.Unknown)]
    [TestCase("github.event.issue._id", TaintClass.Attacker)] // "_id" alone is not a field ending in _id
    [TestCase("github.event.issue.node_id", TaintClass.Fixed)]
    [TestCase("github.event.issue.*", TaintClass.Attacker)]
    [TestCase("steps..outcome", TaintClass.Unknown)]
    public void Each_context_has_a_class_before_tracing(string context, TaintClass expected)
    {
        var row = ContextTable.Classify(context);
        Assert.That(row.Class, Is.EqualTo(expected), row.Pattern);
        Assert.That(row.Reason, Is.Not.Empty);
    }

    [Test]
    public void A_computed_index_names_its_own_row()
    {
        Assert.That(ContextTable.Classify("github.event[inputs.field]"), Is.EqualTo(new ContextRow("github[…]", TaintClass.Attacker, "an index computed at run time can reach any field of the event, free text included")));
        Assert.That(ContextTable.Classify("matrix[inputs.field]").Pattern, Is.EqualTo("**"));
    }

    [TestCase("echo \"tag=$TAG\" >> \"$GITHUB_OUTPUT\"", "GITHUB_OUTPUT", "tag", "$TAG")]
    [TestCase("echo tag=1.2 >> $GITHUB_OUTPUT", "GITHUB_OUTPUT", "tag", "1.2")]
    [TestCase("echo \"::set-output name=tag::v1\"", "GITHUB_OUTPUT", "tag", "v1")]
    [TestCase("\"tag=$v\" | Out-File -Append $env:GITHUB_OUTPUT", "GITHUB_OUTPUT", "tag", "$v")]
    [TestCase("echo \"MODE=fast\" >> \"$GITHUB_ENV\"", "GITHUB_ENV", "MODE", "fast")]
    [TestCase("echo \"MODE=fast\" >> \"$GITHUB_ENV\"", "GITHUB_OUTPUT", null, null)]
    [TestCase("{\n  echo \"body<<EOF\"\n  echo \"$BODY\"\n  echo EOF\n} >> \"$GITHUB_OUTPUT\"", "GITHUB_OUTPUT", "body", "  echo \"$BODY\"")]
    [TestCase("MODE=fast ./run.sh > \"$GITHUB_OUTPUT.log\"", "GITHUB_OUTPUT", null, null)]
    [TestCase("echo \"a=1\"", "GITHUB_OUTPUT", null, null)]
    [TestCase("echo \"::set-output name=a::1\"", "GITHUB_ENV", null, null)]
    [TestCase("echo \"a=>>x\" >> \"$GITHUB_OUTPUT\"", "GITHUB_OUTPUT", "a", "")]
    [TestCase("\"a=| Out-File\" | Out-File -Append $env:GITHUB_OUTPUT", "GITHUB_OUTPUT", "a", "")]
    public void A_write_to_the_runners_files_is_read_as_name_and_value(string script, string file, string? name, string? value)
    {
        var writes = ShellWrites.Of(script, file).ToList();
        Assert.That(writes.Select(write => (write.Name, write.Value)), name is null ? Is.Empty : Is.EqualTo(new[] { (name, value!) }));
    }

    [TestCase("github.event.issue.title == 'x'", true)]
    [TestCase("contains(github.event.issue.title, 'x')", true)]
    [TestCase("!github.event.issue.title", true)]
    [TestCase("github.event.issue.title != ''", true)]
    [TestCase("github.event.issue.title || 'x'", false)]
    [TestCase("contains(github.event.issue.title, 'x') && github.event.issue.title", false)]
    [TestCase("contains(a, 'x') == contains(b, 'y')", true)]
    [TestCase("contains(a, 'x') || b", false)]
    [TestCase("format('{0}', a == 'x')", false)]
    [TestCase("github.event.issue.title", false)]
    public void An_expression_is_boolean_valued_only_when_its_value_cannot_carry_text(string code, bool isBoolean)
    {
        Assert.That(Expressions.IsBooleanValued(code), Is.EqualTo(isBoolean));
    }

    [TestCase("mikefarah/yq@v4", "cmd")]
    [TestCase("MikeFarah/YQ/sub/dir@v4", "cmd")]
    [TestCase("actions/github-script", "script")]
    [TestCase("addnab/docker-run-action@v3", "options,run")]
    [TestCase("tibdex/backport@v2", "body_template,head_template,labels_template,title_template")]
    [TestCase("azure/powershell@v2", "inlineScript")]
    [TestCase("devorbitus/yq-action-output@v1", "cmd")]
    [TestCase("roots/issue-closer-action@v1", "issue-close-message,pr-close-message")]
    public void An_action_whose_inputs_are_code_is_a_sink(string uses, string inputs)
    {
        Assert.That(InjectionSinks.Of(uses)?.Inputs, Is.EqualTo(inputs.Split(',')));
    }

    // One case per family of CodeQL's code-injection models (Hardening/Data/code-injection-sinks.yml).
    [TestCase("azure/cli", "inlineScript", "run as a script with the job's credentials")]
    [TestCase("sergeysova/jq-action", "cmd", "run as a shell command")]
    [TestCase("8398a7/action-slack", "custom_payload", "evaluated as a JavaScript template or expression")]
    public void CodeQl_models_are_read_from_the_data_file_with_their_family(string action, string input, string reason)
    {
        var models = InjectionSinks.CodeQlModels();
        Assert.That(models, Has.Count.EqualTo(14));
        Assert.That(models[action].Inputs, Does.Contain(input));
        Assert.That(models[action].Reason, Is.EqualTo(reason));
        Assert.That(InjectionSinks.Of($"{action}@v1")?.Reason, Is.EqualTo(reason));
    }

    [Test]
    public void A_picked_sink_keeps_its_reason_and_gains_the_models_inputs()
    {
        Assert.That(InjectionSinks.Of("actions/github-script@v7")?.Reason, Is.EqualTo("run as JavaScript with the job's token"));
        Assert.That(InjectionSinks.Of("mikefarah/yq@v4")?.Inputs, Is.EqualTo(new[] { "cmd" }));
        Assert.That(InjectionSinks.Actions.Keys, Is.SupersetOf(InjectionSinks.Picked.Keys).And.SupersetOf(InjectionSinks.CodeQlModels().Keys));
    }

    [TestCase("octo@v1")]
    [TestCase("actions/checkout@v6")]
    [TestCase("actions/github-script-fork@v7")]
    [TestCase("./local")]
    [TestCase("@v1")]
    public void Other_actions_are_no_sink(string uses)
    {
        Assert.That(InjectionSinks.Of(uses), Is.Null);
    }

    [TestCase("actions/cache@v4", "actions/cache")]
    [TestCase("actions/cache/restore@v4", "actions/cache")]
    [TestCase("Actions/Cache", "actions/cache")]
    [TestCase("gradle/actions/setup-gradle@v4", "gradle/actions/setup-gradle")]
    [TestCase("actions/cache-extra@v1", null)]
    [TestCase("gradle/actions/wrapper-validation@v4", null)]
    public void A_uses_value_matches_its_longest_table_entry(string uses, string? entry)
    {
        Assert.That(ReleaseCaching.Match(ReleaseCaching.CacheAware.Keys, uses), Is.EqualTo(entry));
    }

    // Absent, literal values in every spelling, and an expression (unknown until the run: counted as on).
    [TestCase("actions/setup-go", null, true)]
    [TestCase("actions/setup-go", " False ", false)]
    [TestCase("actions/setup-go", "${{ inputs.cache }}", true)]
    [TestCase("actions/setup-python", null, false)]
    [TestCase("actions/setup-python", "pip", true)]
    [TestCase("actions/setup-python", "  ", false)]
    [TestCase("actions/setup-dotnet", "TRUE", true)]
    [TestCase("actions/setup-dotnet", "yes", false)]
    [TestCase("actions/cache", null, true)]
    [TestCase("actions/cache", "true", false)]
    [TestCase("actions/cache", "false", true)]
    [TestCase("astral-sh/setup-uv", "auto", false)]
    [TestCase("astral-sh/setup-uv", "true", true)]
    [TestCase("ramsey/composer-install", "yes", false)]
    [TestCase("ramsey/composer-install", "no", true)]
    public void A_cache_switch_reads_as_the_action_does(string action, string? value, bool on)
    {
        Assert.That(ReleaseCaching.CacheAware[action][0].IsOn(value), Is.EqualTo(on));
    }

    [Test]
    public void Setup_node_caches_by_its_package_manager_cache_default_unless_it_is_switched_off()
    {
        var switches = ReleaseCaching.CacheAware["actions/setup-node"];
        Assert.That(switches.Select(cache => cache.Input), Is.EqualTo(new[] { "cache", "package-manager-cache" }));
        Assert.That(switches[0].IsOn("npm") && switches[0].IsOn("PNPM") && switches[0].IsOn("yarn"), Is.True);
        Assert.That(switches[0].IsOn("bun") || switches[0].IsOn(null), Is.False);
        Assert.That(switches[1].IsOn(null), Is.True);
        Assert.That(switches[1].IsOn("false"), Is.False);
    }

    [Test]
    public void The_tables_hold_zizmors_cache_aware_and_publishing_actions()
    {
        // zizmorcore/zizmor crates/zizmor/src/audit/cache_poisoning.rs (KNOWN_CACHE_AWARE_ACTIONS, KNOWN_PUBLISHER_ACTIONS).
        Assert.That(ReleaseCaching.CacheAware.Select(pair => $"{pair.Key} {string.Join(",", pair.Value.Select(cache => $"{cache.Input}:{(cache.OptOut ? "out" : "in")}:{cache.OnWhenAbsent}"))}"), Is.EquivalentTo(new[]
        {
            "actions/cache lookup-only:out:True", "actions/setup-java cache:in:False", "actions/setup-go cache:in:True",
            "actions/setup-node cache:in:False,package-manager-cache:in:True", "actions/setup-python cache:in:False",
            "actions/setup-dotnet cache:in:False", "astral-sh/setup-uv enable-cache:in:False", "Swatinem/rust-cache lookup-only:out:True",
            "ruby/setup-ruby bundler-cache:in:False", "PyO3/maturin-action sccache:in:False", "mlugg/setup-zig use-cache:in:True",
            "oven-sh/setup-bun no-cache:out:True", "DeterminateSystems/magic-nix-cache-action use-gha-cache:in:True",
            "graalvm/setup-graalvm cache:in:False", "gradle/actions/setup-gradle cache-disabled:out:True",
            "actions-rust-lang/setup-rust-toolchain cache:in:True", "jdx/mise-action cache:in:True",
            "ramsey/composer-install ignore-cache:out:True", "Mozilla-Actions/sccache-action ", "nix-community/cache-nix-action ",
            "awalsh128/cache-apt-pkgs-action ",
        }));
        Assert.That(ReleaseCaching.Publishers.Keys, Is.EquivalentTo(new[]
        {
            "pypa/gh-action-pypi-publish", "rubygems/release-gem", "jreleaser/release-action", "goreleaser/goreleaser-action",
            "softprops/action-gh-release", "release-drafter/release-drafter", "googleapis/release-please-action", "docker/build-push-action",
            "redhat-actions/push-to-registry", "aws-actions/amazon-ecs-deploy-task-definition", "aws-actions/aws-cloudformation-github-deploy",
            "Azure/aci-deploy", "Azure/container-apps-deploy-action", "Azure/functions-action", "Azure/sql-action", "cloudflare/wrangler-action",
            "google-github-actions/deploy-appengine", "google-github-actions/deploy-cloudrun", "google-github-actions/deploy-cloud-functions",
            "actions/create-release", "ncipollo/release-action", "JS-DevTools/npm-publish",
        }));
        Assert.That(ReleaseCaching.Publishers.Where(pair => pair.Value is not null).Select(pair => $"{pair.Key} {pair.Value!.Input} {pair.Value.OnWhenAbsent}"), Is.EqualTo(new[] { "docker/build-push-action push True" }));
    }
}
