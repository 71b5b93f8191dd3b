using System.Globalization;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Server.Tests.Fakes;

/// <summary>The reliability store contract kept in a dictionary: idempotent creates, versioned updates, newest-first keyset pages.</summary>
public sealed class InMemoryReliabilityStore : IReliabilityStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Kind, string Id), StoredRecord> _records = [];

    public int Writes { get; private set; }

    public IReadOnlyList<StoredRecord> All(string kind)
    {
        lock (_lock)
        {
            return [.. _records.Values.Where(r => r.Kind == kind)];
        }
    }

    public Task<StoredRecord> CreateAsync(StoredRecord record, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (record.Version != 1)
            {
                throw new ArgumentException($"A new record has version 1, not {record.Version}.", nameof(record));
            }

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
        lock (_lock)
        {
            if (!_records.TryGetValue((record.Kind, record.Id), out var existing))
            {
                throw new KeyNotFoundException($"No {record.Kind} {record.Id}.");
            }

            if (existing.Version != record.Version - 1)
            {
                throw new ConcurrencyConflictException($"{record.Kind} {record.Id} is at version {existing.Version}, not {record.Version - 1}.");
            }

            var stored = record with { CreatedAt = existing.CreatedAt };
            _records[(record.Kind, record.Id)] = stored;
            Writes++;
            return Task.FromResult(stored);
        }
    }

    public Task<StoredRecord?> GetAsync(string kind, string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_records.GetValueOrDefault((kind, id)));
        }
    }

    public Task<Page<StoredRecord>> ListAsync(RecordQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var ordered = _records.Values
                .Where(r => r.Kind == query.Kind && (query.Status is null || r.Status == query.Status) && (query.Label is null || r.Label == query.Label)
                    && (query.Since is null || r.CreatedAt >= query.Since))
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                .ToList();
            if (Cursor.TryDecode(query.Cursor, out var last) && last is not null)
            {
                ordered = [.. ordered.SkipWhile(r => Key(r) != last).Skip(1)];
            }

            var items = ordered.Take(query.Limit).ToList();
            string? next = ordered.Count > query.Limit ? Cursor.Encode(Key(items[^1])) : null;
            return Task.FromResult(new Page<StoredRecord>(items, next));
        }
    }

    public Task<bool> DeleteAsync(string kind, string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_records.Remove((kind, id)));
        }
    }

    private static string Key(StoredRecord r) => r.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + r.Id;
}
