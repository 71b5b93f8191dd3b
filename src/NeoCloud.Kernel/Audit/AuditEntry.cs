namespace NeoCloud.Kernel.Audit;

/// <summary>One change of state to be audited: who did what to which target, why, and the state before and after.</summary>
/// <param name="SourceId">
/// Where the entry comes from when it is relayed from another context's record (<c>fleet.transition:42</c>): the log
/// records one entry per source id, so a relay that runs twice or concurrently audits each change once.
/// </param>
public sealed record AuditEntry(
    DateTimeOffset At,
    Actor Actor,
    string Action,
    string Target,
    string Reason,
    string? Before,
    string? After,
    string? SourceId = null);
