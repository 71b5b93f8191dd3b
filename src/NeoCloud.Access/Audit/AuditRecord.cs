using NeoCloud.Kernel.Audit;

namespace NeoCloud.Access.Audit;

/// <summary>A stored audit entry, linked to the one before it by hash so any edit or deletion breaks the chain.</summary>
/// <param name="SourceId">The record the entry was relayed from, if any (see <see cref="AuditEntry.SourceId"/>); covered by the hash.</param>
public sealed record AuditRecord(
    long Sequence,
    DateTimeOffset At,
    Actor Actor,
    string Action,
    string Target,
    string Reason,
    string? Before,
    string? After,
    string PreviousHash,
    string Hash,
    string? SourceId = null);
