namespace NeoCloud.Reliability.Runbooks;

/// <summary>
/// One step of a run as it was planned when the run started (action and rendered arguments, so a later edit of the
/// manifest does not change a run under way) and what happened to it.
/// </summary>
public sealed record RunbookStepRecord(
    string Name,
    RunbookAction Action,
    IReadOnlyDictionary<string, string> Args,
    ApprovalPolicy Approval,
    FailurePolicy OnFailure,
    TimeSpan? Timeout,
    RunbookStepOutcome Outcome = RunbookStepOutcome.Pending,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    string Output = "",
    string? ApprovedBy = null)
{
    /// <summary>Whether this step stops for a person before it runs (never in a dry run: nothing changes then).</summary>
    public bool NeedsApproval(bool dryRun) => !dryRun && Approval == ApprovalPolicy.Required && ApprovedBy is null;
}
