using Cake.Core;

namespace Cake.Frosting;

/// <summary>Base of a typed build context: Cake's context plus whatever the build adds.</summary>
public abstract class FrostingContext(ICakeContext context) : CakeContextAdapter(context)
{
}
