using NeoCloud.Kernel.Audit;

namespace NeoCloud.Access.Audit;

/// <summary>A stored audit entry, linked to the one before it by hash so any edit or deletion breaks the chain.</summary>
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
    string Hash);
