namespace NeoCloud.Reliability.Incidents;

/// <summary>
/// Every field of an <see cref="Incident"/> as plain values: what is stored, and what <see cref="Incident.FromSnapshot"/>
/// restores exactly (times with their offsets, sets in their order).
/// </summary>
public sealed record IncidentSnapshot(
    string Id,
    string Title,
    IncidentSeverity Severity,
    IncidentStatus Status,
    string LineOfBusiness,
    DateTimeOffset Onset,
    IReadOnlyList<IncidentEvent> Timeline,
    string ProbableRootCause,
    IReadOnlyList<string> CorrelationKeys,
    IReadOnlyList<ulong> AlertFingerprints,
    IReadOnlyList<string> AffectedTenants,
    IReadOnlyList<string> AffectedSlos,
    IReadOnlyList<string> AffectedNodes,
    IReadOnlyList<string> FindingIds,
    IReadOnlyList<string> RemediationRunIds);
