using Cake.Core;

namespace Cake.Frosting;

/// <summary>A task whose work is synchronous, typed by its context.</summary>
public abstract class FrostingTask<TContext> : AsyncFrostingTask<TContext>
    where TContext : ICakeContext
{
    public virtual void Run(TContext context)
    {
    }

    public sealed override Task RunAsync(TContext context)
    {
        Run(context);
        return Task.CompletedTask;
    }
}
