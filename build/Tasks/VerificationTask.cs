using System.Reflection;
using System.Runtime.ExceptionServices;
using Build.Gateway;
using Build.Reporting;
using Cake.Core.Diagnostics;
using Cake.Frosting;

namespace Build.Tasks;

/// <summary>
/// A check in the graph. A failure is recorded with its fix and the run goes on to Summary, which
/// reports everything and sets the exit code; when the check is itself the target, it fails the run at once.
/// </summary>
public abstract class VerificationTask : AsyncFrostingTask<BuildContext>
{
    public string Name => NameOf(GetType());

    /// <summary>The names of every check: the tasks that verify something (aggregates and Summary only gather them).</summary>
    public static IReadOnlySet<string> CheckNames { get; } = typeof(VerificationTask).Assembly.GetTypes()
        .Where(type => type.IsSubclassOf(typeof(VerificationTask)) && !type.IsAbstract)
        .Select(NameOf)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static string NameOf(Type type) => type.GetCustomAttribute<TaskNameAttribute>()?.Name ?? type.Name;

    public override string SkippedMessage => "a check it depends on did not pass";

    /// <summary>Checks that must have passed, when they ran, for this one to be worth running.</summary>
    protected virtual IEnumerable<string> Prerequisites => [];

    /// <summary>Runs the check; returns the detail line for the summary or throws <see cref="CheckFailedException"/>.</summary>
    protected abstract Task<string> CheckAsync(BuildContext context);

    public sealed override async Task RunAsync(BuildContext context)
    {
        string detail;
        try
        {
            detail = await CheckAsync(context);
        }
        catch (CheckSkippedException skipped)
        {
            context.Results.Skip(Name, skipped.Reason);
            context.Info($"- {Name}: skipped: {skipped.Reason}");
            return;
        }

        context.Results.Pass(Name, detail);
        context.Info($"✓ {Name}: {detail}");
    }

    public sealed override bool ShouldRun(BuildContext context)
    {
        foreach (var prerequisite in Prerequisites)
        {
            if (context.Results.Find(prerequisite) is { Status: not CheckStatus.Passed } result)
            {
                var reason = $"skipped because {prerequisite} {result.Status.ToString().ToLowerInvariant()}";
                context.Results.Skip(Name, reason);
                context.Info($"- {Name}: {reason}");
                return false;
            }
        }

        return true;
    }

    public sealed override void OnError(Exception exception, BuildContext context)
    {
        var failure = exception switch
        {
            CheckFailedException checkFailed => checkFailed.Failure,
            OperationCanceledException when context.Cancellation.IsCancellationRequested => Failure.Of(FailureClass.Cancelled),
            _ => Failure.Of(FailureClass.Unexpected, $"{Name} hit an unexpected {exception.GetType().Name}"),
        };
        if (failure.Id == FailureClass.Unexpected.Id)
        {
            context.Log.Write(Verbosity.Diagnostic, LogLevel.Debug, "{0}", exception.ToString());
        }

        context.Results.Fail(Name, failure);
        if (Name.Equals(context.Target, StringComparison.OrdinalIgnoreCase))
        {
            // Nothing runs after the target to report the failure: fail the run with this one line.
            ExceptionDispatchInfo.Throw(exception is CheckFailedException ? exception : new CheckFailedException(failure));
        }

        // The reason and its fix come once, in the table and the closing Error: line.
        context.Warn($"✗ {Name} failed ({failure.Id}); the summary below has the reason and the fix");
    }
}
