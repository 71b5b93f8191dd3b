namespace NeoCloud.Reliability.Runbooks;

/// <summary>Where a runbook run is: the last three are final.</summary>
public enum RunbookRunState
{
    Pending,
    Running,
    AwaitingApproval,
    Succeeded,
    Failed,
    Cancelled,
}
