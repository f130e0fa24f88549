namespace Build.Core;

/// <summary>How much a finding weighs: an error fails what it belongs to (a workflow audit in block mode, a key check); a warning does not.</summary>
public enum Severity
{
    Error,
    Warning,
}
