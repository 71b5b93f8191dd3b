using System.Text.Json;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Server.Reliability;

/// <summary>
/// An incident as a store record (kind <c>incident</c>, status lowercase, label the severity) and back. Kept small and
/// internal on purpose: the Reliability context's IncidentRepository replaces it when it lands.
/// </summary>
internal static class IncidentRecords
{
    // Enums by name, so a stored body stays readable and survives reordering of the enums.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static StoredRecord ToRecord(Incident incident, long version, DateTimeOffset updatedAt) => new(
        ReliabilityRecordKinds.Incident,
        incident.Id,
        version,
        incident.Status.ToString().ToLowerInvariant(),
        SeverityName(incident.Severity),
        incident.OpenedAt,
        updatedAt,
        JsonSerializer.Serialize(Body.Of(incident), Json));

    /// <exception cref="InvalidDataException">The body is not an incident this host wrote.</exception>
    public static Incident FromRecord(StoredRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            var body = JsonSerializer.Deserialize<Body>(record.Body, Json)
                ?? throw new InvalidDataException($"Incident record {record.Id} has an empty body.");
            return Incident.Rehydrate(
                body.Id, body.Title, body.Severity, body.Status, body.LineOfBusiness, body.Onset, body.Timeline, body.ProbableRootCause,
                body.CorrelationKeys, body.AlertFingerprints, body.AffectedTenants, body.AffectedSlos, body.AffectedNodes, body.FindingIds,
                body.RemediationRunIds);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"Incident record {record.Id} (version {record.Version}) cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary><c>sev1</c>..<c>sev4</c>, as records, metrics and the API name severities.</summary>
    public static string SeverityName(IncidentSeverity severity) => "sev" + ((int)severity).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Body(
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
        IReadOnlyList<string> RemediationRunIds)
    {
        public static Body Of(Incident i) => new(
            i.Id, i.Title, i.Severity, i.Status, i.LineOfBusiness, i.Onset, i.Timeline, i.ProbableRootCause, [.. i.CorrelationKeys],
            [.. i.AlertFingerprints], [.. i.AffectedTenants], [.. i.AffectedSlos], [.. i.AffectedNodes], [.. i.FindingIds], [.. i.RemediationRunIds]);
    }
}
