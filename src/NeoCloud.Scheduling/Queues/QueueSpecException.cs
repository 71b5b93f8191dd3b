using NeoCloud.Kernel.Manifests;

namespace NeoCloud.Scheduling.Queues;

/// <summary>A queue or cohort manifest stream was rejected; every problem found is listed, each with its line and field.</summary>
public sealed class QueueSpecException : SpecException
{
    public QueueSpecException(IReadOnlyList<SpecError> errors) : base("queue manifest", errors)
    {
    }

    public QueueSpecException()
    {
    }

    public QueueSpecException(string message) : base(message)
    {
    }

    public QueueSpecException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
