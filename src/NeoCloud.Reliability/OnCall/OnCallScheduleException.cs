using NeoCloud.Kernel.Manifests;

namespace NeoCloud.Reliability.OnCall;

/// <summary>An on-call schedule file was rejected; every problem is listed with its line, column and field.</summary>
public sealed class OnCallScheduleException : SpecException
{
    public OnCallScheduleException(IReadOnlyList<SpecError> errors) : base("on-call schedule", errors)
    {
    }

    public OnCallScheduleException() : base()
    {
    }

    public OnCallScheduleException(string message) : base(message)
    {
    }

    public OnCallScheduleException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
