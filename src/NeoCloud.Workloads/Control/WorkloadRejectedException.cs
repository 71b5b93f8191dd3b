namespace NeoCloud.Workloads.Control;

/// <summary>A workload that is well formed but cannot be accepted here (an undeclared queue, a priority class the queue does not allow); nothing was stored.</summary>
public sealed class WorkloadRejectedException : Exception
{
    public WorkloadRejectedException()
    {
    }

    public WorkloadRejectedException(string message) : base(message)
    {
    }

    public WorkloadRejectedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
