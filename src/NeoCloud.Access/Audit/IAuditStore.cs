using NeoCloud.Kernel;

namespace NeoCloud.Access.Audit;

/// <summary>The Access context's durable audit log.</summary>
public interface IAuditStore
{
    /// <summary>
    /// Appends one entry as the next link of the chain; concurrent appends are serialised so the chain never forks.
    /// An entry whose <see cref="Kernel.Audit.AuditEntry.SourceId"/> is already recorded appends nothing and returns the
    /// record already there, decided under the same serialisation, so concurrent relays cannot record a source twice.
    /// </summary>
    Task<AuditRecord> AppendAsync(Kernel.Audit.AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Records in sequence order, optionally only those about one target, cursor-paged.</summary>
    Task<Page<AuditRecord>> ListAsync(string? target, int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>The highest sequence recorded from <paramref name="stream"/> (see <see cref="AuditSource"/>), or 0 if none.</summary>
    Task<long> LastSourceSequenceAsync(string stream, CancellationToken cancellationToken);
}
