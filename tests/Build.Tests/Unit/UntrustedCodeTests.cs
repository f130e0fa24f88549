using Build.Hardening;
using YamlDotNet.RepresentationModel;

namespace Build.Tests.Unit;

/// <summary>The step readers behind dangerous-triggers and artifact-poisoning: downloads, where their files land, what runs code.</summary>
[TestFixture]
public sealed class UntrustedCodeTests
{
    private static YamlMappingNode Step(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [TestCase("uses: actions/download-artifact@v4\nwith: { name: a }", false, null)]
    [TestCase("uses: actions/download-artifact@v4\nwith: { run-id: '1' }", true, "actions/download-artifact downloads into the workspace")]
    [TestCase("uses: actions/download-artifact@v4\nwith: { run-id: '1', path: out }", true, "actions/download-artifact downloads into out")]
    [TestCase("uses: actions/download-artifact@v4\nwith: { run-id: '1', path: '${{ runner.temp }}/a' }", true, null)]
    [TestCase("uses: dawidd6/action-download-artifact@v11", true, "dawidd6/action-download-artifact downloads into the workspace")]
    [TestCase("uses: dawidd6/action-download-artifact@v11\nwith: { path: /tmp/x }", true, null)]
    [TestCase("uses: actions/github-script@v8\nwith: { script: 'await github.rest.actions.downloadArtifact(x)' }", true, null)]
    [TestCase("uses: actions/github-script@v8\nwith: { script: 'return 1' }", false, null)]
    [TestCase("run: gh run download 1", true, "gh run download writes into the workspace")]
    [TestCase("run: gh run download 1 -D \"$RUNNER_TEMP/x\"", true, null)]
    [TestCase("run: gh run download 1 --dir=$RUNNER_TEMP", true, null)]
    [TestCase("run: curl -L https://api.github.com/repos/o/r/actions/artifacts/1/zip -o a.zip", true, null)]
    [TestCase("run: unzip a.zip", false, "`unzip a.zip` unpacks into the workspace")]
    [TestCase("run: unzip a.zip -d /tmp/a", false, null)]
    [TestCase("run: tar -xzf a.tgz -C \"$RUNNER_TEMP\"", false, null)]
    [TestCase("run: tar --directory=${RUNNER_TEMP} -xzf a.tgz", false, null)]
    [TestCase("run: tar -xzf a.tgz", false, "`tar -xzf a.tgz` unpacks into the workspace")]
    [TestCase("run: echo hi", false, null)]
    public void An_artifact_step_is_read_for_what_it_downloads_and_where_it_lands(string yaml, bool downloads, string? intoWorkspace)
    {
        var step = Step(yaml);
        Assert.That(Artifacts.Downloads(step), Is.EqualTo(downloads));
        Assert.That(Artifacts.IntoWorkspace(step), Is.EqualTo(intoWorkspace));
    }

    [TestCase("uses: ./.github/actions/build", "the local action ./.github/actions/build")]
    [TestCase("uses: actions/github-script@v8\nwith: { script: \"require('./scripts/report.js')(github)\" }", "`require('./scripts/report.js')`")]
    [TestCase("uses: actions/github-script@v8\nwith: { script: \"require('fs')\" }", null)]
    [TestCase("uses: actions/setup-node@v4", null)]
    [TestCase("run: npm ci && npm test", "`npm ci`")]
    [TestCase("run: python3 -m pytest", "`python3 -m pytest`")]
    [TestCase("run: ./build.sh --target=Test", "`./build.sh`")]
    [TestCase("run: echo done", null)]
    public void A_step_runs_code_from_the_workspace_when_it_builds_installs_or_runs_a_local_file(string yaml, string? what)
    {
        Assert.That(WorkspaceCode.RunBy(Step(yaml)), Is.EqualTo(what));
    }

    [TestCase("gh pr checkout 12", "gh pr checkout 12")]
    [TestCase("hub pr checkout 12 && make", "hub pr checkout 12")]
    [TestCase("git fetch origin pull/${{ github.event.issue.number }}/head:pr", "git fetch origin pull/${{ github.event.issue.number }}/head:pr")]
    [TestCase("git fetch origin refs/pull/3/merge", "git fetch origin refs/pull/3/merge")]
    [TestCase("git fetch origin main", null)]
    [TestCase("echo pull/1/head", null)]
    public void A_script_fetches_a_pull_request_with_gh_or_git(string script, string? fetch)
    {
        Assert.That(WorkspaceCode.FetchesPullRequest(script), Is.EqualTo(fetch));
    }
}
