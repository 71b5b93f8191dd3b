namespace NeoCloud.Kernel.Manifests;

/// <summary>A manifest was rejected; every problem found is listed, each with its line and field.</summary>
public class SpecException : Exception
{
    public SpecException(string what, IReadOnlyList<SpecError> errors)
        : base($"The {what} is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    public SpecException() : this("manifest", [])
    {
    }

    public SpecException(string message) : base(message)
    {
        Errors = [];
    }

    public SpecException(string message, Exception innerException) : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<SpecError> Errors { get; }
}
