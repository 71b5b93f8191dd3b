using NeoCloud.Access.Audit;
using NeoCloud.Kernel.Audit;

namespace NeoCloud.Access.Relay;

/// <summary>
/// Follows one context's outbox — a log of state changes, each row committed with its change — and appends one audit
/// entry per row under the source id <c>{Stream}:{sequence}</c>. Where it got to is read back from the audit log
/// itself, and the log records a source id once, so running it twice, concurrently, or again after a crash audits each
/// change exactly once.
/// </summary>
/// <typeparam name="TRow">A row of the outbox.</typeparam>
public abstract class OutboxAuditRelay<TRow>(IAuditStore audit)
{
    private const int BatchSize = 500;

    // One pass at a time in this process: the API's post-command pass and the background pass would only redo each other's work.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The source stream of the relayed rows in the audit log.</summary>
    public abstract string SourceStream { get; }

    /// <summary>Relays every row not yet audited, until caught up; returns how many it handed to the audit log.</summary>
    public async Task<int> RelayAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            long after = await audit.LastSourceSequenceAsync(SourceStream, cancellationToken);
            int relayed = 0;
            while (true)
            {
                var batch = await ReadAfterAsync(after, BatchSize, cancellationToken);
                foreach (var row in batch)
                {
                    await audit.AppendAsync(Entry(row), cancellationToken);
                    after = SequenceOf(row);
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

    /// <summary>Up to <paramref name="limit"/> outbox rows after <paramref name="sequence"/>, in sequence order.</summary>
    protected abstract Task<IReadOnlyList<TRow>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken);

    protected abstract long SequenceOf(TRow row);

    protected abstract AuditEntry Entry(TRow row);
}
