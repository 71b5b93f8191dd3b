namespace NeoCloud.Fleet.Spec;

/// <summary>A fleet file was rejected; every problem found is listed, each with its line and field.</summary>
public sealed class FleetSpecException : Exception
{
    public FleetSpecException(IReadOnlyList<FleetSpecError> errors)
        : base("The fleet file is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    public FleetSpecException() : this([])
    {
    }

    public FleetSpecException(string message) : base(message)
    {
        Errors = [];
    }

    public FleetSpecException(string message, Exception innerException) : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<FleetSpecError> Errors { get; }
}
