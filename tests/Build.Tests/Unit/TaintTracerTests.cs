using Build.Hardening;
using YamlDotNet.RepresentationModel;

namespace Build.Tests.Unit;

/// <summary>
/// Where the tracer follows a value to, row by row: its class, the context or command that decided it, and the reason a
/// warning would give. Each row is one way of setting a value in a workflow.
/// </summary>
[TestFixture]
public sealed class TaintTracerTests
{
    private const string Workflow = """
        on:
          workflow_dispatch:
            inputs:
              count: { type: number }
              note: { type: string }
        env:
          TOP: ${{ github.event.issue.title }}
          E0: ${{ env.E1 }}
          E1: ${{ env.E2 }}
          E2: ${{ env.E3 }}
          E3: ${{ env.E4 }}
          E4: ${{ env.E5 }}
          E5: ${{ env.E6 }}
          E6: ${{ env.E7 }}
          E7: ${{ env.E8 }}
          E8: ${{ env.E9 }}
          E9: ${{ github.head_ref }}
        jobs:
          producer:
            runs-on: x
            outputs:
              literal: fixed
              sha: ${{ steps.p.outputs.sha }}
              late: ${{ env.LATE }}
            steps:
              - id: p
                run: |
                  echo "sha=$GITHUB_SHA" >> "$GITHUB_OUTPUT"
                  echo "LATE=1" >> "$GITHUB_ENV"
          reusable:
            uses: ./.github/workflows/called.yml
          whole:
            runs-on: x
            strategy:
              matrix: ${{ fromJSON(needs.producer.outputs.literal) }}
            steps:
              - run: echo
          included:
            runs-on: x
            strategy:
              matrix:
                include: ${{ fromJSON(needs.producer.outputs.literal) }}
            steps:
              - run: echo
          plain:
            runs-on: x
            strategy:
              matrix:
                include: nothing
                os: [a, b]
                cfg: [{ a: 1 }]
            steps:
              - run: echo
          consumer:
            runs-on: x
            env:
              MAP: { a: b }
              JOBVAR: ${{ github.event.comment.body }}
            strategy:
              matrix:
                os: [linux, windows]
                name: ['${{ github.head_ref }}']
            steps:
              - run: echo "FROM_FILE=$(cat notes.txt)" >> "$GITHUB_ENV"
              - id: head
                run: echo "ref=$GITHUB_HEAD_REF" >> "$GITHUB_OUTPUT"
              - id: temp
                run: echo "dir=$RUNNER_TEMP" >> "$GITHUB_OUTPUT"
              - id: unseen
                run: echo "x=$SOMETHING" >> "$GITHUB_OUTPUT"
              - id: assigned
                run: |
                  V=$(date +%s)
                  echo "v=$V" >> "$GITHUB_OUTPUT"
              - id: loop
                run: |
                  V="$V-x"
                  echo "v=$V" >> "$GITHUB_OUTPUT"
              - id: jobenv
                run: echo "v=$JOBVAR" >> "$GITHUB_OUTPUT"
              - id: api
                run: echo "n=$(gh api repos/o/r/pulls/1 --jq .number)" >> "$GITHUB_OUTPUT"
              - id: art
                uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093
                with:
                  run-id: ${{ github.event.workflow_run.id }}
              - id: read
                run: echo "v=$(cat pr/ref)" >> "$GITHUB_OUTPUT"
              - id: reader
                run: echo
        """;

    private static readonly YamlMappingNode Root = Load();

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Workflow));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static TaintTracer Tracer => new(Root, new Dictionary<string, string> { ["count"] = "number", ["note"] = "string" }, isAction: false);

    /// <summary>The scope of a job's step with the given id (the job's own scope when null).</summary>
    private static TraceScope Scope(string job, string? stepId = "reader")
    {
        var node = (YamlMappingNode)((YamlMappingNode)Root.Children[new YamlScalarNode("jobs")]).Children[new YamlScalarNode(job)];
        var steps = StepWalk.StepsOf(WorkflowAudit.Child(node, "steps")).ToList();
        var step = stepId is null ? null : steps.Single(candidate => WorkflowAudit.Text(WorkflowAudit.Child(candidate, "id")) == stepId);
        return new TraceScope(step, node, steps);
    }

    [TestCase("consumer", "inputs.count", TaintClass.Fixed, "inputs.count", "a number input")]
    [TestCase("consumer", "inputs.note", TaintClass.Attacker, "inputs.note", "a string input: whoever starts or calls the workflow types it")]
    [TestCase("consumer", "env.TOP", TaintClass.Attacker, "github.event.issue.title", "the event's payload")]
    [TestCase("consumer", "env.E0", TaintClass.Unknown, "env.E8", "set through too many steps to follow")]
    [TestCase("consumer", "env.E8", TaintClass.Attacker, "github.head_ref", "the pull request's branch name")]
    [TestCase("consumer", "env.MAP", TaintClass.Unknown, "env.MAP", "env.MAP is not a single value")]
    [TestCase("consumer", "env.FROM_FILE", TaintClass.Unknown, "$(cat notes.txt)", "the output of `cat notes.txt`")]
    [TestCase("consumer", "env.NOWHERE", TaintClass.Unknown, "env.NOWHERE", "env.NOWHERE is not set by an env: of this file or by a visible write to $GITHUB_ENV")]
    [TestCase("consumer", "steps.head.outputs.ref", TaintClass.Attacker, "$GITHUB_HEAD_REF", "the pull request's branch name")]
    [TestCase("consumer", "steps.temp.outputs.dir", TaintClass.Fixed, "$RUNNER_TEMP", "set by the runner")]
    [TestCase("consumer", "steps.unseen.outputs.x", TaintClass.Unknown, "$SOMETHING", "$SOMETHING is set where Harden cannot see it")]
    [TestCase("consumer", "steps.assigned.outputs.v", TaintClass.Fixed, "$(date +%s)", "a command that prints a number, a date or a SHA")]
    [TestCase("consumer", "steps.loop.outputs.v", TaintClass.Unknown, "$V-x", "set through too many steps to follow")]
    [TestCase("consumer", "steps.jobenv.outputs.v", TaintClass.Attacker, "github.event.comment.body", "the event's payload")]
    [TestCase("consumer", "steps.api.outputs.n", TaintClass.Fixed, "$(gh api repos/o/r/pulls/1 --jq .number)", "a command that prints a number, a date or a SHA")]
    [TestCase("consumer", "steps.art.outputs.x", TaintClass.Unknown, "steps.art.outputs.x", "actions/download-artifact writes it at run time")]
    [TestCase("consumer", "steps.read.outputs.v", TaintClass.Attacker, "$(cat pr/ref)", "read from a file after an artifact was downloaded")]
    [TestCase("consumer", "steps.none.outputs.x", TaintClass.Unknown, "steps.none.outputs.x", "no step of this job has id none")]
    [TestCase("consumer", "steps.temp.outputs.missing", TaintClass.Unknown, "steps.temp.outputs.missing", "step temp has no visible write of missing to $GITHUB_OUTPUT")]
    [TestCase("consumer", "needs.producer.outputs.literal", TaintClass.Fixed, "fixed", "a literal")]
    [TestCase("consumer", "needs.producer.outputs.sha", TaintClass.Fixed, "$GITHUB_SHA", "a commit SHA")]
    [TestCase("consumer", "needs.producer.outputs.late", TaintClass.Unknown, "env.LATE", "env.LATE is not set by an env: of this file")]
    [TestCase("consumer", "needs.reusable.outputs.x", TaintClass.Unknown, "needs.reusable.outputs.x", "job reusable calls a reusable workflow that sets it")]
    [TestCase("consumer", "needs.producer.outputs.none", TaintClass.Unknown, "needs.producer.outputs.none", "job producer has no output none")]
    [TestCase("consumer", "needs.ghost.outputs.x", TaintClass.Unknown, "needs.ghost.outputs.x", "no job ghost in this file")]
    [TestCase("consumer", "matrix.os", TaintClass.Fixed, "linux", "a literal")]
    [TestCase("consumer", "matrix.name", TaintClass.Attacker, "github.head_ref", "the pull request's branch name")]
    [TestCase("consumer", "matrix.nothing", TaintClass.Unknown, "matrix.nothing", "nothing is not a key of this job's matrix")]
    [TestCase("plain", "matrix.k", TaintClass.Unknown, "matrix.k", "k is not a key of this job's matrix")]
    [TestCase("whole", "matrix.any", TaintClass.Unknown, "matrix.any", "the matrix is computed at run time")]
    [TestCase("included", "matrix.k", TaintClass.Unknown, "matrix.k", "the matrix's include is computed at run time")]
    [TestCase("plain", "matrix.cfg", TaintClass.Unknown, "matrix.cfg", "matrix.cfg holds a mapping or list")]
    public void A_context_is_traced_to_where_its_value_is_set(string job, string context, TaintClass taint, string origin, string reason)
    {
        var trace = Tracer.OfContext(context, Scope(job, job == "consumer" ? "reader" : null));

        Assert.That((trace.Class, trace.Origin), Is.EqualTo((taint, origin)), trace.Reason);
        Assert.That(trace.Reason, Does.StartWith(reason));
    }

    [Test]
    public void Texts_and_booleans_are_read_as_github_evaluates_them()
    {
        var scope = Scope("consumer");
        var literal = Tracer.OfText("plain words", scope);
        Assert.That((literal.Class, literal.Reason, literal.Texts), Is.EqualTo((TaintClass.Fixed, "a literal", new[] { "plain words" })));

        var boolean = Tracer.OfText("${{ contains(github.event.issue.title, 'x') }}", scope);
        Assert.That((boolean.Class, boolean.Reason), Is.EqualTo((TaintClass.Fixed, "true or false")));

        var mixed = Tracer.OfText("${{ github.sha }}-${{ steps.read.outputs.v }}", scope);
        Assert.That(mixed.Class, Is.EqualTo(TaintClass.Attacker));
        Assert.That(mixed.Texts, Does.Contain("${{ github.sha }}-${{ steps.read.outputs.v }}").And.Contain("cat pr/ref"), "every text read on the way, for the checkout rules");
    }

    [Test]
    public void A_composite_actions_inputs_are_its_callers_choice()
    {
        var trace = new TaintTracer(Root, new Dictionary<string, string> { ["note"] = "string" }, isAction: true).OfContext("inputs.note", Scope("consumer"));
        Assert.That((trace.Class, trace.Reason), Is.EqualTo((TaintClass.Unknown, ContextTable.Classify("inputs.note").Reason)));
    }
}
