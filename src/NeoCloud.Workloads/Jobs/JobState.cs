namespace NeoCloud.Workloads.Jobs;

/// <summary>
/// Where a job or service is in its life. Succeeded, Failed and Cancelled are final; Preempted and InfraFailed are brief:
/// the job goes back to Pending (to restart from its last checkpoint) while its retry budget lasts, else to Failed.
/// </summary>
public enum JobState
{
    Pending,
    Admitted,
    Placed,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Preempted,
    InfraFailed,
}
