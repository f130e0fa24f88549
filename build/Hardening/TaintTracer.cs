using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening;

/// <summary>Where a value was traced to: its class, the context or command that decided it, why, and every text read on the way.</summary>
internal sealed record Trace(TaintClass Class, string Origin, string Reason, IReadOnlyList<string> Texts)
{
    public static Trace Fixed(string origin, string reason, params string[] texts) => new(TaintClass.Fixed, origin, reason, texts);

    public static Trace Unknown(string origin, string reason, params string[] texts) => new(TaintClass.Unknown, origin, reason, texts);

    /// <summary>The most dangerous of several (an outsider's value anywhere taints the whole), with every text read.</summary>
    public static Trace Worst(IEnumerable<Trace> traces, string? literal = null)
    {
        var all = traces.ToList();
        string[] own = literal is null ? [] : [literal];
        if (all.Count == 0)
        {
            return new Trace(TaintClass.Fixed, literal ?? string.Empty, "a literal", own);
        }

        var worst = all.MaxBy(trace => trace.Class)!;
        return worst with { Texts = [.. all.SelectMany(trace => trace.Texts).Concat(own).Distinct()] };
    }

    /// <summary>A chain of values longer than Harden follows (or one that refers to itself, such as X=$X).</summary>
    public static Trace TooDeep(string origin) => Unknown(origin, "set through too many steps to follow");
}

/// <summary>Where in the workflow a value is read: the step (if any), its job, and the job's steps in order.</summary>
internal sealed record TraceScope(YamlMappingNode? Step, YamlMappingNode? Job, IReadOnlyList<YamlMappingNode> Steps);

/// <summary>
/// Follows a value to where it is set: <c>env:</c> (step, job, workflow), earlier writes to <c>$GITHUB_ENV</c>,
/// <c>steps.*.outputs.*</c> (what the producing step writes to <c>$GITHUB_OUTPUT</c>), <c>needs.*.outputs.*</c> (the other
/// job's outputs), the matrix and typed inputs; what it cannot follow is <see cref="ContextTable"/>'s answer.
/// Functions keep their arguments' taint (format, join, toJSON, fromJSON); a comparison or contains() gives a boolean.
/// </summary>
internal sealed partial class TaintTracer(YamlMappingNode root, IReadOnlyDictionary<string, string> inputTypes, bool isAction)
{
    private const int MaxDepth = 8;

    /// <summary>The trace of every context of every expression in a text (literal text is fixed).</summary>
    public Trace OfText(string text, TraceScope scope, int depth = 0) =>
        Trace.Worst(Expressions.In(text).Select(expression => OfExpression(expression, scope, depth)), text);

    public Trace OfExpression(Expressions.Found expression, TraceScope scope, int depth = 0) =>
        expression.IsBoolean
            ? Trace.Fixed(expression.OneLine, "true or false", expression.Text)
            : Trace.Worst(expression.Contexts.Where(name => !IsSecret(name)).Select(name => OfContext(name, scope, depth)), expression.Text);

    /// <summary>A secret, or all of them (toJSON(secrets)): pasting one leaks it, but nobody outside chooses it.</summary>
    public static bool IsSecret(string name) =>
        Expressions.Normalise(name) is var normal
            && (normal.Equals("secrets", StringComparison.OrdinalIgnoreCase) || normal.StartsWith("secrets.", StringComparison.OrdinalIgnoreCase));

    public Trace OfContext(string name, TraceScope scope, int depth = 0)
    {
        var normal = Expressions.Normalise(name);
        var segments = normal.Split('.');
        if (depth >= MaxDepth)
        {
            return Trace.TooDeep(name);
        }

        // A segment with an index (steps[x]) names no root below, so it falls to the table.
        var next = depth + 1;
        var outputs = segments.Length == 4 && segments[2].Equals("outputs", StringComparison.OrdinalIgnoreCase);
        var traced = (segments[0].ToLowerInvariant(), segments.Length) switch
        {
            ("env", 2) => OfEnv(segments[1], scope, next),
            ("steps", 4) when outputs => OfStepOutput(segments[1], segments[3], scope, next),
            ("needs", 4) when outputs => OfJobOutput(segments[1], segments[3], next),
            ("matrix", 2) => OfMatrix(segments[1], scope, next),
            ("inputs", 2) when !isAction && inputTypes.TryGetValue(segments[1], out var type) => OfInput(segments[1], type),
            _ => null,
        };
        if (traced is not null)
        {
            return traced;
        }

        var row = ContextTable.Classify(normal);
        return new Trace(row.Class, name, row.Reason, [name]);
    }

    private static Trace OfInput(string name, string type) =>
        type is "choice" or "boolean" or "number"
            ? Trace.Fixed($"inputs.{name}", $"a {type} input")
            : new Trace(TaintClass.Attacker, $"inputs.{name}", "a string input: whoever starts or calls the workflow types it", []);

    /// <summary>env.NAME: the nearest env: that sets it, else an earlier step's write to $GITHUB_ENV.</summary>
    private Trace OfEnv(string name, TraceScope scope, int depth)
    {
        var value = new[] { Child(scope.Step, "env"), Child(scope.Job, "env"), Child(root, "env") }
            .Select(env => Child(env, name))
            .FirstOrDefault(node => node is not null);
        if (value is not null)
        {
            return value is YamlScalarNode { Value: { } text } ? OfText(text, scope, depth) : Trace.Unknown($"env.{name}", $"env.{name} is not a single value");
        }

        var earlier = scope.Step is null ? [] : scope.Steps.TakeWhile(step => !ReferenceEquals(step, scope.Step)).ToList();
        var writes = earlier.SelectMany(step => ShellWrites.Of(Text(Child(step, "run")) ?? string.Empty, "GITHUB_ENV")
                .Where(write => write.Name == name)
                .Select(write => OfShellValue(write.Value, step, scope, depth)))
            .ToList();
        return writes.Count > 0
            ? Trace.Worst(writes)
            : Trace.Unknown($"env.{name}",
                $"env.{name} is not set by an env: of this file or by a visible write to $GITHUB_ENV: a step or the runner sets it at run time");
    }

    /// <summary>steps.ID.outputs.NAME: what the step with that id writes.</summary>
    private Trace OfStepOutput(string id, string name, TraceScope scope, int depth)
    {
        var context = $"steps.{id}.outputs.{name}";
        var producer = scope.Steps.FirstOrDefault(step => string.Equals(Text(Child(step, "id")), id, StringComparison.OrdinalIgnoreCase));
        if (producer is null)
        {
            return Trace.Unknown(context, $"no step of this job has id {id}");
        }

        if (Text(Child(producer, "uses")) is { } uses)
        {
            return Trace.Unknown(context, $"{uses.Split('@')[0]} writes it at run time");
        }

        var script = Text(Child(producer, "run")) ?? string.Empty;
        var writes = ShellWrites.Of(script, "GITHUB_OUTPUT").Where(write => write.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();
        return writes.Count == 0
            ? Trace.Unknown(context, $"step {id} has no visible write of {name} to $GITHUB_OUTPUT")
            : Trace.Worst(writes.Select(write => OfShellValue(write.Value, producer, scope with { Step = producer }, depth)), script);
    }

    /// <summary>needs.JOB.outputs.NAME: the other job's outputs: entry, traced in that job.</summary>
    private Trace OfJobOutput(string jobId, string name, int depth)
    {
        var context = $"needs.{jobId}.outputs.{name}";
        var job = Pairs(Child(root,
            "jobs")).FirstOrDefault(pair => string.Equals(pair.Key.Value, jobId, StringComparison.OrdinalIgnoreCase)).Value as YamlMappingNode;
        if (job is null)
        {
            return Trace.Unknown(context, $"no job {jobId} in this file");
        }

        if (Child(Child(job, "outputs"), name) is not YamlScalarNode { Value: { } value })
        {
            return Trace.Unknown(context, Child(job,
                "uses") is not null ? $"job {jobId} calls a reusable workflow that sets it" : $"job {jobId} has no output {name}");
        }

        return OfText(value, new TraceScope(null, job, StepWalk.StepsOf(Child(job, "steps")).ToList()), depth);
    }

    /// <summary>matrix.KEY: the values the job's matrix (and its include entries) gives it.</summary>
    private Trace OfMatrix(string key, TraceScope scope, int depth)
    {
        var context = $"matrix.{key}";
        var jobScope = scope with { Step = null };
        var matrix = Child(Child(scope.Job, "strategy"), "matrix");
        if (matrix is YamlScalarNode { Value: { } whole })
        {
            var trace = OfText(whole, jobScope, depth);
            return trace.Class == TaintClass.Fixed ? Trace.Unknown(context, "the matrix is computed at run time") : trace;
        }

        var traces = new List<Trace>();
        var values = new List<YamlNode>();
        if (Child(matrix, key) is { } direct)
        {
            values.Add(direct);
        }

        var include = Child(matrix, "include");
        values.AddRange(((include as YamlSequenceNode)?.Children ?? []).Select(entry => Child(entry, key)).OfType<YamlNode>());
        if (include is YamlScalarNode { Value: { } computed } && computed.Contains("${{", StringComparison.Ordinal))
        {
            // include: ${{ fromJSON(…) }} can add any key: its values are whatever that expression gives.
            var trace = OfText(computed, jobScope, depth);
            traces.Add(trace.Class == TaintClass.Fixed ? Trace.Unknown(context, "the matrix's include is computed at run time") : trace);
        }
        else if (values.Count == 0)
        {
            return Trace.Unknown(context, $"{key} is not a key of this job's matrix");
        }

        foreach (var value in values.SelectMany(value => value is YamlSequenceNode sequence ? sequence.Children : [value]))
        {
            traces.Add(value is YamlScalarNode { Value: var text } ? OfText(text ?? string.Empty, jobScope, depth) : Trace.Unknown(context,
                $"matrix.{key} holds a mapping or list"));
        }

        return Trace.Worst(traces);
    }

    /// <summary>
    /// A value as a script writes it (<c>echo "name=VALUE"</c>): its expressions, the shell variables it reads (the step's
    /// env, the runner's GITHUB_* variables, earlier assignments in the script), command output and literal text.
    /// </summary>
    private Trace OfShellValue(string value, YamlMappingNode writer, TraceScope scope, int depth)
    {
        if (depth >= MaxDepth)
        {
            return Trace.TooDeep(value);
        }

        var script = Text(Child(writer, "run")) ?? string.Empty;
        var writerScope = scope with { Step = writer };
        var traces = new List<Trace>();
        foreach (Match command in CommandSubstitution().Matches(value))
        {
            traces.Add(OfCommand(command.Groups["command"].Value, writer, scope));
        }

        foreach (Match variable in ShellVariable().Matches(CommandSubstitution().Replace(value, string.Empty)))
        {
            traces.Add(OfShellVariable(variable.Groups["name"].Value, script, writer, writerScope, depth + 1));
        }

        traces.Add(OfText(value, writerScope, depth)); // its ${{ }} expressions; a literal adds nothing worse
        return Trace.Worst(traces, value);
    }

    private Trace OfShellVariable(string name, string script, YamlMappingNode writer, TraceScope scope, int depth)
    {
        if (new[] { Child(writer, "env"), Child(scope.Job, "env"), Child(root, "env") }.Any(env => Child(env, name) is not null))
        {
            return OfEnv(name, scope, depth);
        }

        if (name.StartsWith("GITHUB_", StringComparison.Ordinal) || name.StartsWith("RUNNER_", StringComparison.Ordinal))
        {
            // The runner's variables mirror the github and runner contexts (GITHUB_HEAD_REF is github.head_ref).
            var context = name.StartsWith("GITHUB_", StringComparison.Ordinal) ? "github." + name[7..].ToLowerInvariant()
                : "runner." + name[7..].ToLowerInvariant();
            var row = ContextTable.Classify(context);
            return new Trace(row.Class, $"${name}", row.Reason, [name]);
        }

        var assignment = Assignment(name).Matches(script).LastOrDefault();
        return assignment is null
            ? Trace.Unknown($"${name}", $"${name} is set where Harden cannot see it")
            : OfShellValue(assignment.Groups["value"].Value.Trim().Trim('"', '\''), writer, scope, depth);
    }

    /// <summary>Command output: fixed for commands that print a number, a date or a SHA; read from a downloaded artifact, an outsider's.</summary>
    private static Trace OfCommand(string command, YamlMappingNode writer, TraceScope scope)
    {
        if (FixedCommand().IsMatch(command))
        {
            return Trace.Fixed($"$({command.Trim()})", "a command that prints a number, a date or a SHA", command);
        }

        var downloaded = Artifacts.Downloads(writer) || scope.Steps.TakeWhile(step => !ReferenceEquals(step, writer)).Any(Artifacts.Downloads);
        if (FileRead().IsMatch(command) && downloaded)
        {
            return new Trace(TaintClass.Attacker, $"$({command.Trim()})",
                "read from a file after an artifact was downloaded: the run that made the artifact chose it", [command]);
        }

        return Trace.Unknown($"$({command.Trim()})", $"the output of `{command.Trim()}`", command);
    }

    [GeneratedRegex(@"\$\((?<command>[^()]*(?:\([^()]*\)[^()]*)*)\)|`(?<command>[^`]*)`")]
    private static partial Regex CommandSubstitution();

    [GeneratedRegex(@"\$\{?(?:env:)?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex ShellVariable();

    private static Regex Assignment(string name) => new($@"(?:^|[\s;&|(])(?:export\s+|local\s+|\$)?{Regex.Escape(name)}\s*=(?<value>[^\n;]*)",
        RegexOptions.Multiline);

    [GeneratedRegex(@"^\s*(?:\(.*\)|date\b|git\s+rev-parse\b|git\s+log\b[^|]*--format=%H\b|nproc\b|wc\s+-[lcw]\b|expr\b|seq\b|[^|]*\|\s*(?:sha256sum|md5sum|"
        + @"wc\s+-[lcw])\b|[^|]*--jq\s+['""]?\.(?:number|id|sha)['""]?\s*$)")]
    private static partial Regex FixedCommand();

    [GeneratedRegex(@"\bcat\b|^\s*<|\bhead\b|\btail\b|\bjq\b[^|]*\s[\w./-]+\s*$|readFileSync|Get-Content")]
    private static partial Regex FileRead();
}
