using NeoCloud.Kernel.Manifests;

namespace NeoCloud.Fleet.Spec;

/// <summary>A fleet file was rejected; every problem found is listed, each with its line and field.</summary>
public sealed class FleetSpecException : SpecException
{
    public FleetSpecException(IReadOnlyList<SpecError> errors) : base("fleet file", errors)
    {
    }

    public FleetSpecException()
    {
    }

    public FleetSpecException(string message) : base(message)
    {
    }

    public FleetSpecException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
