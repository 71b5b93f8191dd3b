using NeoCloud.Access.Audit;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Store;
using NeoCloud.Kernel.Audit;

namespace NeoCloud.Access.Relay;

/// <summary>
/// Audits every committed lifecycle transition: follows the Fleet store's transition log (an outbox, each row committed
/// with its state change) and appends one audit entry per transition with source id <c>fleet.transition:{seq}</c>.
/// Where it got to is read back from the audit log itself, and the log records a source id once, so running it twice,
/// concurrently, or again after a crash audits each transition exactly once.
/// </summary>
public sealed class LifecycleAuditRelay(IFleetStore fleet, IAuditStore audit) : OutboxAuditRelay<RecordedTransition>(audit)
{
    /// <summary>The source stream of relayed transitions in the audit log.</summary>
    public const string Stream = "fleet.transition";

    public override string SourceStream => Stream;

    protected override Task<IReadOnlyList<RecordedTransition>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken) =>
        fleet.ListTransitionsAfterAsync(sequence, limit, cancellationToken);

    protected override long SequenceOf(RecordedTransition row) => row.Sequence;

    protected override AuditEntry Entry(RecordedTransition row) => EntryFor(row);

    /// <summary>The audit entry of one transition: its actor, action name, subject, reason and from/to states.</summary>
    public static AuditEntry EntryFor(RecordedTransition recorded)
    {
        var t = recorded.Transition;
        return new AuditEntry(
            t.At,
            Actor.Parse(t.Actor),
            LifecycleActions.For(recorded.SubjectKind, t.To),
            t.Subject,
            t.Reason,
            LifecycleActions.StateName(t.From),
            LifecycleActions.StateName(t.To),
            AuditSource.Id(Stream, recorded.Sequence));
    }
}
