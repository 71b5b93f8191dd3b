using System.Text.Json;
using System.Text.Json.Serialization;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Reliability.Incidents;

/// <summary>
/// An incident as a <see cref="StoredRecord"/>: its snapshot as compact JSON (camelCase, enums by name), listed by
/// status (<c>open</c>…<c>resolved</c>) and severity (<c>sev1</c>…<c>sev4</c>), created when it was opened and updated
/// when its timeline last moved, so that a record's times are the incident's own and not the saving machine's.
/// </summary>
public static class IncidentRecord
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        WriteIndented = false,
    };

    /// <summary>The record of <paramref name="incident"/> at <paramref name="version"/>.</summary>
    public static StoredRecord ToRecord(Incident incident, long version)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return new StoredRecord(
            ReliabilityRecordKinds.Incident,
            incident.Id,
            version,
            StatusName(incident.Status),
            SeverityName(incident.Severity),
            incident.OpenedAt,
            incident.Timeline[^1].At,
            Write(incident));
    }

    /// <summary>The incident a record holds; a damaged or foreign record is an error naming it.</summary>
    public static Incident FromRecord(StoredRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Kind != ReliabilityRecordKinds.Incident)
        {
            throw new ArgumentException($"Record {record.Kind} '{record.Id}' is not an incident.", nameof(record));
        }

        var incident = Read(record.Body, record.Id);
        if (incident.Id != record.Id)
        {
            throw new InvalidDataException($"The stored incident '{record.Id}' holds incident '{incident.Id}'.");
        }

        return incident;
    }

    public static string Write(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return JsonSerializer.Serialize(incident.ToSnapshot(), Options);
    }

    /// <summary>Reads an incident's JSON; what is not a restorable incident is an error naming the record.</summary>
    public static Incident Read(string json, string id)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var snapshot = JsonSerializer.Deserialize<IncidentSnapshot>(json, Options)
                ?? throw new JsonException("the document is 'null'");
            return Incident.FromSnapshot(snapshot);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"The stored incident '{id}' is not a readable incident: {e.Message}", e);
        }
    }

    /// <summary>What the store's Status holds for <paramref name="status"/>: its name in lower case.</summary>
    public static string StatusName(IncidentStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>What the store's Label holds for <paramref name="severity"/>: <c>sev1</c>…<c>sev4</c>.</summary>
    public static string SeverityName(IncidentSeverity severity) => Incident.Name(severity);
}
