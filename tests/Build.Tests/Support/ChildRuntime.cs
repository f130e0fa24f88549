namespace Build.Tests.Support;

/// <summary>
/// Every .NET process the suite starts (the program, PowerShell, the SDK's builds, the fake tailscale) runs without
/// the runtime's W^X mapping of its code pages (DOTNET_EnableWriteXorExecute=0, a documented runtime switch): it costs
/// each process a double mapping and a page-protection change per method it compiles, about a fifth of a PowerShell
/// start's CPU and a tenth of the JIT-compiled program's here (tests/benchmark/child-runtime.sh). Nothing a test checks
/// depends on it. The program itself keeps W^X on for users: it reads answers and files from outside.
/// </summary>
public static class ChildRuntime
{
    private const string Variable = "DOTNET_EnableWriteXorExecute";

    private static string? _outer;

    public static void Open()
    {
        _outer = Environment.GetEnvironmentVariable(Variable);
        Environment.SetEnvironmentVariable(Variable, "0");
    }

    public static void Close() => Environment.SetEnvironmentVariable(Variable, _outer);
}
