using NeoCloud.Kernel.Manifests;

namespace NeoCloud.Workloads.Specs;

/// <summary>A job or service manifest was rejected; every problem found is listed, each with its line, column and field.</summary>
public sealed class WorkloadSpecException : SpecException
{
    public WorkloadSpecException(IReadOnlyList<SpecError> errors) : base("workload manifest", errors)
    {
    }

    public WorkloadSpecException()
    {
    }

    public WorkloadSpecException(string message) : base(message)
    {
    }

    public WorkloadSpecException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
