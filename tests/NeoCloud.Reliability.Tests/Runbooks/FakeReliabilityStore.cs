using NeoCloud.Kernel;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Reliability.Tests.Runbooks;

/// <summary>Just enough of the store contract for the runner: idempotent create, versioned update, filtered newest-first pages.</summary>
internal sealed class FakeReliabilityStore : IReliabilityStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Kind, string Id), StoredRecord> _records = [];

    public int Writes { get; private set; }

    public Task<StoredRecord> CreateAsync(StoredRecord record, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_records.TryGetValue((record.Kind, record.Id), out var existing))
            {
                return Task.FromResult(existing);
            }

            _records[(record.Kind, record.Id)] = record;
            Writes++;
            return Task.FromResult(record);
        }
    }

    public Task<StoredRecord> UpdateAsync(StoredRecord record, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_records.TryGetValue((record.Kind, record.Id), out var existing))
            {
                throw new KeyNotFoundException(record.Id);
            }

            if (existing.Version != record.Version - 1)
            {
                throw new ConcurrencyConflictException($"{record.Id} is at version {existing.Version}, not {record.Version - 1}");
            }

            _records[(record.Kind, record.Id)] = record with { CreatedAt = existing.CreatedAt };
            Writes++;
            return Task.FromResult(record);
        }
    }

    public Task<StoredRecord?> GetAsync(string kind, string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_records.GetValueOrDefault((kind, id)));
        }
    }

    public Task<Page<StoredRecord>> ListAsync(RecordQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            string? after = Keyset.After(query.Cursor, nameof(query.Cursor));
            var rows = _records.Values
                .Where(r => r.Kind == query.Kind && (query.Status is null || r.Status == query.Status) && (query.Label is null || r.Label == query.Label))
                .OrderByDescending(Key, StringComparer.Ordinal)
                .Where(r => after is null || string.CompareOrdinal(Key(r), after) < 0)
                .Take(query.Limit + 1)
                .ToList();
            return Task.FromResult(Keyset.ToPage(rows, query.Limit, Key));
        }

        static string Key(StoredRecord r) => r.CreatedAt.UtcTicks.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + "|" + r.Id;
    }

    public Task<bool> DeleteAsync(string kind, string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_records.Remove((kind, id)));
        }
    }

    /// <summary>Puts a record back as it was (a crash between writes leaves the store at an earlier version).</summary>
    public void Overwrite(StoredRecord record)
    {
        lock (_gate)
        {
            _records[(record.Kind, record.Id)] = record;
        }
    }
}
