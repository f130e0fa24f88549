using Build.Core;
using YamlDotNet.RepresentationModel;
using static Build.Hardening.WorkflowAudit;

namespace Build.Hardening.Rules;

internal sealed class UnpinnedImagesRule : IAuditRule
{
    public AuditRule Rule { get; } = new(
        AuditRules.UnpinnedImages,
        Severity.Error,
        "a job `container:` or `services:` image without a digest: untagged or `latest` is an error, another tag a warning",
        "Container image not pinned to a digest");

    public void OnJob(JobScope job)
    {
        var mapping = job.Job;
        var images = new List<YamlNode?> { Child(mapping, "container") is YamlScalarNode bare ? bare : Child(Child(mapping, "container"), "image") };
        images.AddRange(Pairs(Child(mapping, "services")).Select(service => Child(service.Value, "image")));
        foreach (var node in images.OfType<YamlScalarNode>())
        {
            var image = node.Value ?? string.Empty;
            if (image.Contains("@sha256:", StringComparison.Ordinal) || image.Contains("${{", StringComparison.Ordinal))
            {
                continue;
            }

            var lastSegment = image[(image.LastIndexOf('/') + 1)..];
            var tag = lastSegment.Contains(':') ? lastSegment[(lastSegment.IndexOf(':') + 1)..] : null;
            if (tag is null or "latest")
            {
                job.Context.Error(node, AuditRules.UnpinnedImages,
                    $"job {job.Name.Value} runs image {image} {(tag is null ? "without a tag" : "by its latest tag")}: the registry decides what runs",
                    "pin the image by digest: image@sha256:<digest>");
            }
            else
            {
                job.Context.Warning(node, AuditRules.UnpinnedImages, $"job {job.Name.Value} runs image {image} by a tag, which can be moved",
                    "pin the image by digest: image@sha256:<digest> (keep the tag in a comment)");
            }
        }
    }
}
