using YamlDotNet.RepresentationModel;

namespace Build.Hardening;

/// <summary>
/// Action inputs that are run as code, as a shell command or as a template, so an expression pasted into them
/// is a template injection like one in <c>run:</c>. Two sources: a hand-picked list (below) and CodeQL's
/// models-as-data code-injection sinks, kept as data in Hardening/Data/code-injection-sinks.yml.
/// </summary>
public static class InjectionSinks
{
    /// <summary>Hand-picked: action (owner/name, any ref) → its inputs that are code, and what becomes of them.</summary>
    public static readonly IReadOnlyDictionary<string, (string[] Inputs, string Reason)> Picked =
        new Dictionary<string, (string[], string)>(StringComparer.OrdinalIgnoreCase)
        {
            ["actions/github-script"] = (["script"], "run as JavaScript with the job's token"),
            ["amadevus/pwsh-script"] = (["script"], "run as PowerShell"),
            ["jannekem/run-python-script-action"] = (["script"], "run as Python"),
            ["cardinalby/js-eval-action"] = (["expression"], "evaluated as JavaScript"),
            ["addnab/docker-run-action"] = (["options", "run"], "passed to docker run, or run in the container's shell"),
            ["appleboy/ssh-action"] = (["script"], "run in a remote shell"),
            ["mikefarah/yq"] = (["cmd"], "run in a shell"),
        };

    private static readonly Lazy<IReadOnlyDictionary<string, (string[] Inputs, string Reason)>> All = new(Merge);

    /// <summary>Every sink: the hand-picked list, with CodeQL's models added (a picked action keeps its reason).</summary>
    public static IReadOnlyDictionary<string, (string[] Inputs, string Reason)> Actions => All.Value;

    /// <summary>The code inputs of the action a <c>uses:</c> names, if it is a sink.</summary>
    public static (string[] Inputs, string Reason)? Of(string uses)
    {
        var at = uses.IndexOf('@');
        var name = at < 0 ? uses : uses[..at];
        var parts = name.Split('/');
        var action = parts.Length >= 2 ? $"{parts[0]}/{parts[1]}" : name;
        return Actions.TryGetValue(action, out var sink) ? sink : null;
    }

    /// <summary>CodeQL's models as read from the data file: action → (inputs, family's reason).</summary>
    public static IReadOnlyDictionary<string, (string[] Inputs, string Reason)> CodeQlModels()
    {
        using var stream = typeof(InjectionSinks).Assembly.GetManifestResourceStream("code-injection-sinks.yml")
            ?? throw new InvalidOperationException("code-injection-sinks.yml is not embedded in the build program");
        using var reader = new StreamReader(stream);
        var yaml = new YamlStream();
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var families = ((YamlMappingNode)root.Children["families"]).Children
            .ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ((YamlScalarNode)pair.Value).Value!);
        var models = new Dictionary<string, (string[], string)>(StringComparer.OrdinalIgnoreCase);
        foreach (var sink in ((YamlSequenceNode)root.Children["sinks"]).Children.Cast<YamlMappingNode>())
        {
            var action = ((YamlScalarNode)sink.Children["action"]).Value!;
            var inputs = ((YamlSequenceNode)sink.Children["inputs"]).Children.Cast<YamlScalarNode>().Select(input => input.Value!).ToArray();
            models[action] = (inputs, families[((YamlScalarNode)sink.Children["family"]).Value!]);
        }

        return models;
    }

    private static IReadOnlyDictionary<string, (string[] Inputs, string Reason)> Merge()
    {
        var merged = new Dictionary<string, (string[] Inputs, string Reason)>(Picked, StringComparer.OrdinalIgnoreCase);
        foreach (var (action, (inputs, reason)) in CodeQlModels())
        {
            merged[action] = merged.TryGetValue(action, out var picked)
                ? (picked.Inputs.Union(inputs, StringComparer.Ordinal).ToArray(), picked.Reason)
                : (inputs, reason);
        }

        return merged;
    }
}
