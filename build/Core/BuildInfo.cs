using System.Net.Http.Headers;
using System.Reflection.PortableExecutable;

namespace Build.Core;

/// <summary>The tool's name and version, as it introduces itself to the servers it talks to.</summary>
public static class BuildInfo
{
    public const string Name = "litellm-verify";

    public static string Version { get; } = typeof(BuildInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static ProductInfoHeaderValue UserAgent => new(Name, Version);

    /// <summary>
    /// Whether this program runs precompiled (ReadyToRun, the copy build.sh publishes when VERIFY_READY_TO_RUN=1)
    /// or JIT-compiled code: a ReadyToRun image has a managed native header.
    /// </summary>
    public static string CodeKind
    {
        get
        {
            var location = typeof(BuildInfo).Assembly.Location;
            using var reader = new PEReader(File.OpenRead(location));
            var readyToRun = reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
            return $"build program: {(readyToRun ? "ReadyToRun" : "JIT-compiled")} " +
                $"({Path.GetFileName(Path.GetDirectoryName(location))}/{Path.GetFileName(location)})";
        }
    }
}
