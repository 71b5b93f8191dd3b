using NeoCloud.Kernel.Manifests;

namespace NeoCloud.Reliability.Slos;

/// <summary>An SLO file was rejected; every problem is listed with its line, column and field.</summary>
public sealed class SloSpecException : SpecException
{
    public SloSpecException(IReadOnlyList<SpecError> errors) : base("SLO file", errors)
    {
    }

    public SloSpecException() : base()
    {
    }

    public SloSpecException(string message) : base(message)
    {
    }

    public SloSpecException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
