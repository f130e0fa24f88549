namespace Build.Gateway;

/// <summary>A classified failure: what went wrong, in one line, and what to do about it.</summary>
public sealed record Failure(string Id, string Reason, string Fix)
{
    public string OneLine => $"{Reason.TrimEnd('.')}. Fix: {Fix}";

    public static Failure Of(FailureClass failureClass, string? reason = null) =>
        new(failureClass.Id, reason ?? failureClass.Title, failureClass.Fix);
}

/// <summary>Thrown by a check with its classified failure; the task records it and the run goes on to Summary.</summary>
public sealed class CheckFailedException(Failure failure) : Exception(failure.OneLine)
{
    public Failure Failure { get; } = failure;
}

/// <summary>Thrown by a check that cannot say anything here, with the reason; the task is recorded as skipped, not failed.</summary>
public sealed class CheckSkippedException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
