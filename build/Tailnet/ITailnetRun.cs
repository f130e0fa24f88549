using Build.Security;
using Build.Settings;
using Cake.Core;

namespace Build.Tailnet;

/// <summary>What <see cref="TailnetJoin"/> uses of the run: its settings, egress policy, environment, masks and log (the build's context is one).</summary>
public interface ITailnetRun
{
    VerifySettings Settings { get; }

    EgressPolicy EgressPolicy { get; }

    ICakeEnvironment Environment { get; }

    HttpClient CreateHttpClient();

    void RegisterKey(string? value);

    void RegisterSecret(string? value);

    void Info(string message);

    /// <summary>A line for the report's notes.</summary>
    void Note(string message);
}
