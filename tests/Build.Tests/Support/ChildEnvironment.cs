namespace Build.Tests.Support;

/// <summary>
/// What every process the suite starts inherits (the program, PowerShell, the SDK's builds, the fakes), set for the
/// suite's lifetime:
/// <list type="bullet">
/// <item>DOTNET_EnableWriteXorExecute=0, a documented runtime switch: the runtime's W^X mapping of code pages costs each
/// process a double mapping and a protection change per method it compiles, about a fifth of a PowerShell start's CPU
/// here (tests/benchmark/child-runtime.sh). Nothing a test checks depends on it; users' runs keep W^X on.</item>
/// <item>DOTNET_TieredPGO=0: profile-guided optimisation instruments hot methods and compiles them again, which pays
/// back only in a process that runs for minutes (a PowerShell start of build.ps1: about 0.1 CPU-s less; the program
/// already turns it off). .ci/run sets it for its whole run, the test build included.</item>
/// <item>NuGetAudit=false: the copies' restores would fetch NuGet's vulnerability data from the machine's package
/// source, the suite's only traffic off loopback. The one case about that audit turns it back on.</item>
/// </list>
/// </summary>
public static class ChildEnvironment
{
    private static readonly (string Name, string Value)[] Settings = [("DOTNET_EnableWriteXorExecute", "0"), ("DOTNET_TieredPGO", "0"), ("NuGetAudit", "false")];

    private static string?[] _outer = [];

    public static void Open()
    {
        _outer = [.. Settings.Select(setting => Environment.GetEnvironmentVariable(setting.Name))];
        foreach (var (name, value) in Settings)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public static void Close()
    {
        for (var index = 0; index < _outer.Length; index++)
        {
            Environment.SetEnvironmentVariable(Settings[index].Name, _outer[index]);
        }
    }
}
