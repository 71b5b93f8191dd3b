namespace NeoCloud.Reliability.Runbooks;

/// <summary>
/// The port runbook steps act through; the host implements it over the fleet, the job controller, the actuator and the
/// pager, and audits every call. With <see cref="RunbookContext.DryRun"/> an action must change nothing and say what it
/// would do. A failure the operator should read is a failed result; an exception is a failure too, its message the output.
/// </summary>
public interface IRunbookActions
{
    Task<RunbookStepResult> ExecuteAsync(RunbookAction action, IReadOnlyDictionary<string, string> args, RunbookContext context, CancellationToken cancellationToken);
}
