using NeoCloud.Access.Audit;
using NeoCloud.Kernel.Audit;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Access.Relay;

/// <summary>
/// Audits every job state change: follows the Workloads store's event log (an outbox, each event committed with its
/// state change) and appends one audit entry per event with source id <c>workloads.job-event:{seq}</c>. Where it got
/// to is read back from the audit log, and the log records a source id once, so running it twice, concurrently, or
/// again after a crash audits each change exactly once.
/// </summary>
public sealed class JobAuditRelay(IWorkloadStore workloads, IAuditStore audit) : OutboxAuditRelay<JobEvent>(audit)
{
    /// <summary>The source stream of relayed job events in the audit log.</summary>
    public const string Stream = "workloads.job-event";

    public override string SourceStream => Stream;

    protected override Task<IReadOnlyList<JobEvent>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken) =>
        workloads.ListEventsAfterAsync(sequence, limit, cancellationToken);

    protected override long SequenceOf(JobEvent row) => row.Sequence;

    protected override AuditEntry Entry(JobEvent row) => EntryFor(row);

    /// <summary>The audit entry of one job event: its actor, action (<see cref="ActionFor"/>), the job, the reason with any details, and the states.</summary>
    public static AuditEntry EntryFor(JobEvent e) => new(
        e.At,
        Actor.Parse(e.Actor),
        ActionFor(e),
        e.Job.Value,
        e.Details is null ? e.Reason : $"{e.Reason} ({e.Details})",
        e.From is { } from ? JobMachine.Name(from) : null,
        JobMachine.Name(e.To),
        AuditSource.Id(Stream, e.Sequence));

    /// <summary>
    /// The action a job event is audited as: <c>job.submit</c>, <c>job.admit</c>, <c>job.place</c>, <c>job.start</c>,
    /// <c>job.succeed</c>, <c>job.fail</c>, <c>job.cancel</c>, <c>job.preempt</c>, <c>job.infra-fail</c>, and
    /// <c>job.requeue</c> for the return to pending after an interruption.
    /// </summary>
    public static string ActionFor(JobEvent e) => (e.From, e.To) switch
    {
        (null, _) => "job.submit",
        (_, JobState.Pending) => "job.requeue",
        (_, JobState.Admitted) => "job.admit",
        (_, JobState.Placed) => "job.place",
        (_, JobState.Running) => "job.start",
        (_, JobState.Succeeded) => "job.succeed",
        (_, JobState.Failed) => "job.fail",
        (_, JobState.Cancelled) => "job.cancel",
        (_, JobState.Preempted) => "job.preempt",
        (_, JobState.InfraFailed) => "job.infra-fail",
        _ => "job.transition." + JobMachine.Name(e.To),
    };
}
