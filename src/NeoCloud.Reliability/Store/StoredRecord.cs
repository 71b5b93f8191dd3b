namespace NeoCloud.Reliability.Store;

/// <summary>
/// One versioned record of the Reliability context (an incident, a runbook run, a declared SLO, runbook or on-call
/// manifest), kept as a JSON body with the few fields a list filters on.
/// </summary>
/// <param name="Kind">What the record is: <see cref="ReliabilityRecordKinds"/>.</param>
/// <param name="Id">Unique within its kind.</param>
/// <param name="Version">1 when created; each update is the stored version + 1 (optimistic concurrency).</param>
/// <param name="Status">What lists filter on first (an incident's status, a run's state; empty when meaningless).</param>
/// <param name="Label">A second filter (an incident's severity, a run's runbook name; empty when meaningless).</param>
/// <param name="CreatedAt">When the record was created; lists page by (CreatedAt, Id).</param>
/// <param name="UpdatedAt">When this version was written.</param>
/// <param name="Body">The record itself, as JSON.</param>
public sealed record StoredRecord(
    string Kind,
    string Id,
    long Version,
    string Status,
    string Label,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Body);
