using NeoCloud.Kernel.Audit;

namespace NeoCloud.Access.Audit;

/// <summary>The audit trail every context writes to, backed by the hash-chained store.</summary>
public sealed class HashChainedAuditTrail(IAuditStore store) : IAuditTrail
{
    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken) => store.AppendAsync(entry, cancellationToken);

    /// <summary>Reads the whole log and returns the first record whose hash or link does not verify, or null.</summary>
    public async Task<long?> VerifyAsync(CancellationToken cancellationToken)
    {
        string previous = AuditChain.Genesis;
        string? cursor = null;
        do
        {
            var page = await store.ListAsync(null, 1000, cursor, cancellationToken);
            long? broken = AuditChain.FirstBroken(page.Items, previous);
            if (broken is not null)
            {
                return broken;
            }

            if (page.Items.Count > 0)
            {
                previous = page.Items[^1].Hash;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return null;
    }
}
