namespace Cake.Frosting;

/// <summary>
/// The targets this run was asked for and whether with <c>--exclusive</c>, as the host read them from the command line:
/// registered as a service, so a lifetime takes it in its constructor instead of reading argv again.
/// </summary>
public sealed record TargetSelection(IReadOnlyList<string> Targets, bool Exclusive);
