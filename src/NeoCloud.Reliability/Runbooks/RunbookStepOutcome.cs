namespace NeoCloud.Reliability.Runbooks;

/// <summary>
/// Where one step of a run is. <see cref="Unknown"/>: the step was running when the runner died and its action is not
/// safe to repeat, so nobody knows whether it took effect; a person must look.
/// </summary>
public enum RunbookStepOutcome
{
    Pending,
    AwaitingApproval,
    Running,
    Succeeded,
    Failed,
    Unknown,
    Skipped,
    Cancelled,
}
