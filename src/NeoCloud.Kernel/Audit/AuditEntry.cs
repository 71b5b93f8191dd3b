namespace NeoCloud.Kernel.Audit;

/// <summary>One change of state to be audited: who did what to which target, why, and the state before and after.</summary>
public sealed record AuditEntry(
    DateTimeOffset At,
    Actor Actor,
    string Action,
    string Target,
    string Reason,
    string? Before,
    string? After);
