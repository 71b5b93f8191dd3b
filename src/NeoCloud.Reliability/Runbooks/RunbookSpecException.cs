using NeoCloud.Kernel.Manifests;

namespace NeoCloud.Reliability.Runbooks;

/// <summary>A runbook manifest was rejected; every problem is listed with its line, column and field.</summary>
public sealed class RunbookSpecException : SpecException
{
    public RunbookSpecException(IReadOnlyList<SpecError> errors) : base("runbook", errors)
    {
    }

    public RunbookSpecException() : base()
    {
    }

    public RunbookSpecException(string message) : base(message)
    {
    }

    public RunbookSpecException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
