using NeoCloud.Kernel;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Reliability.Incidents;

/// <summary>
/// Incidents kept in an <see cref="IReliabilityStore"/>, versioned so that two controllers can never both advance one
/// incident: each save names the version it read. A save retried after a lost reply (the same incident at the same
/// version) succeeds again instead of conflicting with itself.
/// </summary>
public sealed class IncidentRepository(IReliabilityStore store)
{
    /// <summary>
    /// Stores <paramref name="incident"/> over the version read (0 when it has never been saved) and returns it with
    /// its new version. Throws <see cref="ConcurrencyConflictException"/> when someone else saved it since, and
    /// <see cref="KeyNotFoundException"/> when an expected version is given for an incident never saved.
    /// </summary>
    public async Task<VersionedIncident> SaveAsync(Incident incident, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        var record = IncidentRecord.ToRecord(incident, expectedVersion + 1);
        if (expectedVersion == 0)
        {
            // A create returns the record already there: ours when this is a retry, another writer's otherwise.
            var stored = await store.CreateAsync(record, cancellationToken);
            return stored.Body == record.Body
                ? new VersionedIncident(incident, stored.Version)
                : throw new ConcurrencyConflictException(
                    $"Incident {incident.Id} was already saved (version {stored.Version}) with other content: read it and apply the change to it.");
        }

        try
        {
            var updated = await store.UpdateAsync(record, cancellationToken);
            return new VersionedIncident(incident, updated.Version);
        }
        catch (ConcurrencyConflictException)
        {
            var current = await store.GetAsync(ReliabilityRecordKinds.Incident, incident.Id, cancellationToken);
            if (current is not null && current.Version == record.Version && current.Body == record.Body)
            {
                return new VersionedIncident(incident, current.Version);
            }

            throw;
        }
    }

    public async Task<VersionedIncident?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var record = await store.GetAsync(ReliabilityRecordKinds.Incident, id, cancellationToken);
        return record is null ? null : new VersionedIncident(IncidentRecord.FromRecord(record), record.Version);
    }

    /// <summary>Incidents newest first (by when they were opened), optionally of one status or severity, or opened at or after <paramref name="since"/>.</summary>
    public async Task<Page<VersionedIncident>> ListAsync(
        IncidentStatus? status,
        IncidentSeverity? severity,
        DateTimeOffset? since,
        int limit,
        string? cursor,
        CancellationToken cancellationToken = default)
    {
        var query = new RecordQuery(
            ReliabilityRecordKinds.Incident,
            status is { } s ? IncidentRecord.StatusName(s) : null,
            severity is { } v ? IncidentRecord.SeverityName(v) : null,
            since,
            limit,
            cursor);
        var page = await store.ListAsync(query, cancellationToken);
        return new Page<VersionedIncident>(
            [.. page.Items.Select(r => new VersionedIncident(IncidentRecord.FromRecord(r), r.Version))], page.NextCursor);
    }

    /// <summary>Every stored incident with its version, newest first: what a restarted controller rebuilds its tracker from.</summary>
    public async Task<IReadOnlyList<VersionedIncident>> ListAllAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<VersionedIncident>();
        string? cursor = null;
        do
        {
            var page = await ListAsync(null, null, null, Keyset.MaxLimit, cursor, cancellationToken);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return all;
    }
}
