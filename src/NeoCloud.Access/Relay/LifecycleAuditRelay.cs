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
public sealed class LifecycleAuditRelay(IFleetStore fleet, IAuditStore audit)
{
    /// <summary>The source stream of relayed transitions in the audit log.</summary>
    public const string Stream = "fleet.transition";

    private const int BatchSize = 500;

    // One pass at a time in this process: the API's post-command pass and the background pass would only redo each other's work.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Relays every transition not yet audited, until caught up; returns how many it handed to the audit log.</summary>
    public async Task<int> RelayAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            long after = await audit.LastSourceSequenceAsync(Stream, cancellationToken);
            int relayed = 0;
            while (true)
            {
                var batch = await fleet.ListTransitionsAfterAsync(after, BatchSize, cancellationToken);
                foreach (var recorded in batch)
                {
                    await audit.AppendAsync(EntryFor(recorded), cancellationToken);
                    after = recorded.Sequence;
                    relayed++;
                }

                if (batch.Count < BatchSize)
                {
                    return relayed;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

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
