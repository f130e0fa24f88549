using System.Net.Http.Headers;
using System.Reflection;

namespace Build;

/// <summary>The tool's name and version, as it introduces itself to the servers it talks to.</summary>
public static class BuildInfo
{
    public const string Name = "litellm-verify";

    public static string Version { get; } = typeof(BuildInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static ProductInfoHeaderValue UserAgent => new(Name, Version);
}
