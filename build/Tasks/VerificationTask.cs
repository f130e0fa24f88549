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
public abstract class VerificationTask : AsyncFrostingTask<BuildContext>, ICheckTask
{
    public string Name => Checks.NameOf(GetType());

    /// <summary>The names of every check: the tasks that verify something (aggregates and Summary only gather them).</summary>
    public static IReadOnlySet<string> CheckNames => Checks.Names;

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
            context.State.Results.Skip(Name, skipped.Reason);
            context.Info($"- {Name}: skipped: {skipped.Reason}");
            EndIfTarget(context);
            return;
        }
        catch (Exception exception) when (context.State.Verdict is null)
        {
            context.State.Results.Fail(Name, Classify(exception, context));

            // As the target, the verdict's exception replaces this one (Cake then logs no second error line).
            EndIfTarget(context);
            throw;
        }

        context.State.Results.Pass(Name, detail);
        context.Info($"✓ {Name}: {detail}");
        EndIfTarget(context);
    }

    public sealed override bool ShouldRun(BuildContext context)
    {
        foreach (var prerequisite in Prerequisites)
        {
            if (context.State.Results.Find(prerequisite) is { Blocks: true } result)
            {
                var reason = $"skipped because {prerequisite} {(result.Status == CheckStatus.Failed ? "failed" : "could not run")}";
                context.State.Results.Skip(Name, reason, blocks: true);
                context.Info($"- {Name}: {reason}");

                // Cake refuses to skip a target with its own message; the verdict says it in ours.
                EndIfTarget(context);
                return false;
            }
        }

        return true;
    }

    private bool IsTarget(BuildContext context) => Name.Equals(context.State.Target, StringComparison.OrdinalIgnoreCase);

    /// <summary>Nothing runs after the target: when this check is it, the run's verdict is decided here.</summary>
    private void EndIfTarget(BuildContext context)
    {
        if (IsTarget(context))
        {
            context.State.Conclude().ThrowIfFailed();
        }
    }

    public sealed override void OnError(Exception exception, BuildContext context)
    {
        if (context.State.Verdict is not null)
        {
            // The verdict of a run whose target is this check, already decided: nothing more to record.
            ExceptionDispatchInfo.Throw(exception);
        }

        if (context.State.Results.Find(Name) is not { Status: CheckStatus.Failed })
        {
            context.State.Results.Fail(Name, Classify(exception, context));
        }

        // The reason and its fix come once, in the table and the closing Error: line.
        var failure = context.State.Results.Find(Name)!;
        context.Warn($"✗ {Name} failed ({failure.FailureId}); the summary below has the reason and the fix");
    }

    private Failure Classify(Exception exception, BuildContext context)
    {
        var failure = exception switch
        {
            CheckFailedException checkFailed => checkFailed.Failure,
            OperationCanceledException when context.State.Cancellation.IsCancellationRequested => Failure.Of(FailureClass.Cancelled),
            _ => Failure.Of(FailureClass.Unexpected, $"{Name} hit an unexpected {exception.GetType().Name}"),
        };
        if (failure.Id == FailureClass.Unexpected.Id)
        {
            context.Log.Write(Verbosity.Diagnostic, LogLevel.Debug, "{0}", exception.ToString());
        }

        return failure;
    }
}
