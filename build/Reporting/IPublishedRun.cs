using Build.Security;
using Build.Settings;

namespace Build.Reporting;

/// <summary>What <see cref="RunPublisher"/> reads of a run and records on it (the build's context is one).</summary>
public interface IPublishedRun
{
    VerifySettings Settings { get; }

    string? SettingsReportPath { get; }

    string Target { get; }

    DateTimeOffset Started { get; }

    TaskResults Results { get; }

    RunFacts Facts { get; }

    EgressPolicy EgressPolicy { get; }

    string TlsVerification { get; }

    Redactor Redactor { get; }

    bool ReportPublished { get; set; }

    RunVerdict Conclude();

    RunVerdict FailOnSettings(int problems);

    void Info(string message);

    void Warn(string message);
}
