using NeoCloud.Kernel;

namespace NeoCloud.Access.Audit;

/// <summary>The Access context's durable audit log.</summary>
public interface IAuditStore
{
    /// <summary>Appends one entry as the next link of the chain; concurrent appends are serialised so the chain never forks.</summary>
    Task<AuditRecord> AppendAsync(Kernel.Audit.AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Records in sequence order, optionally only those about one target, cursor-paged.</summary>
    Task<Page<AuditRecord>> ListAsync(string? target, int limit, string? cursor, CancellationToken cancellationToken);
}
