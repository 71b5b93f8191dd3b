namespace NeoCloud.Workloads.Jobs;

/// <summary>Whether a workload is a batch job (runs to an end) or a service (runs until stopped).</summary>
public enum WorkloadKind
{
    Job,
    Service,
}
