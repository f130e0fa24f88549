using Cake.Core;

namespace Cake.Frosting;

/// <summary>What the host registers with Cake's engine for each task class.</summary>
public interface IFrostingTask
{
    string SkippedMessage { get; }

    Task RunAsync(ICakeContext context);

    bool ShouldRun(ICakeContext context);

    void OnError(Exception exception, ICakeContext context);

    void Finally(ICakeContext context);
}
