using NeoCloud.Kernel;

namespace NeoCloud.Reliability.Store;

/// <summary>
/// The Reliability context's state of record: SQLite (embedded), PostgreSQL and in memory, held to one compliance suite.
/// Creates are idempotent on (kind, id); updates are versioned, so two controllers can never both advance one incident
/// or runbook run; each call is one transaction.
/// </summary>
public interface IReliabilityStore
{
    /// <summary>
    /// Stores a new record (its Version must be 1). When a record of that kind and id exists, it is returned unchanged and
    /// nothing is written, so a retried create is harmless.
    /// </summary>
    Task<StoredRecord> CreateAsync(StoredRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a record with its next version (<paramref name="record"/>.Version = stored version + 1) if the stored one is
    /// still at Version − 1; otherwise throws <see cref="Kernel.Persistence.ConcurrencyConflictException"/>. A missing
    /// record throws <see cref="KeyNotFoundException"/>.
    /// </summary>
    Task<StoredRecord> UpdateAsync(StoredRecord record, CancellationToken cancellationToken);

    Task<StoredRecord?> GetAsync(string kind, string id, CancellationToken cancellationToken);

    Task<Page<StoredRecord>> ListAsync(RecordQuery query, CancellationToken cancellationToken);

    /// <summary>Removes a record (a withdrawn manifest); false when there was none.</summary>
    Task<bool> DeleteAsync(string kind, string id, CancellationToken cancellationToken);
}
