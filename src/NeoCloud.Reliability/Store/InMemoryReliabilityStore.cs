using NeoCloud.Kernel;
using NeoCloud.Kernel.Persistence;

namespace NeoCloud.Reliability.Store;

/// <summary>
/// The Reliability store in process memory, held to the same compliance suite as the SQL stores: what the headless
/// simulation and tests run on. Thread-safe (one lock; every operation is short). Records are immutable values, and
/// instants are kept to the microsecond in UTC as the SQL stores keep them, so a record reads back the same everywhere.
/// </summary>
public sealed class InMemoryReliabilityStore : IReliabilityStore
{
    // Ids order by Unicode code point, as the SQL stores order them (SQLite's BINARY and PostgreSQL's "C" compare UTF-8
    // bytes): plain ordinal order would put U+E000–U+FFFF after the supplementary planes.
    private static readonly Comparer<(long Ticks, string Id)> KeyOrder = Comparer<(long Ticks, string Id)>.Create(
        (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : CompareCodePoints(a.Id, b.Id));

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Kind, string Id), StoredRecord> _records = [];

    /// <summary>Per kind, the (CreatedAt, Id) keys listings walk newest first.</summary>
    private readonly Dictionary<string, SortedSet<(long Ticks, string Id)>> _byKind = new(StringComparer.Ordinal);

    public Task<StoredRecord> CreateAsync(StoredRecord record, CancellationToken cancellationToken)
    {
        ReliabilityStoreRules.CheckCreate(record, nameof(record));
        cancellationToken.ThrowIfCancellationRequested();
        var stored = ReliabilityStoreRules.Normalize(record);
        lock (_gate)
        {
            if (_records.TryGetValue((record.Kind, record.Id), out var existing))
            {
                return Task.FromResult(existing);
            }

            _records.Add((stored.Kind, stored.Id), stored);
            if (!_byKind.TryGetValue(stored.Kind, out var keys))
            {
                keys = new SortedSet<(long Ticks, string Id)>(KeyOrder);
                _byKind.Add(stored.Kind, keys);
            }

            keys.Add((stored.CreatedAt.UtcTicks, stored.Id));
        }

        return Task.FromResult(stored);
    }

    public Task<StoredRecord> UpdateAsync(StoredRecord record, CancellationToken cancellationToken)
    {
        ReliabilityStoreRules.CheckUpdate(record, nameof(record));
        cancellationToken.ThrowIfCancellationRequested();
        var stored = ReliabilityStoreRules.Normalize(record);
        lock (_gate)
        {
            if (!_records.TryGetValue((record.Kind, record.Id), out var current))
            {
                throw new KeyNotFoundException($"No {record.Kind} record '{record.Id}'.");
            }

            if (current.CreatedAt != stored.CreatedAt)
            {
                throw new ArgumentException(
                    $"Record {record.Kind} '{record.Id}' was created at {current.CreatedAt:O}; an update cannot move it to {stored.CreatedAt:O}.",
                    nameof(record));
            }

            if (current.Version != record.Version - 1)
            {
                throw new ConcurrencyConflictException(
                    $"Record {record.Kind} '{record.Id}' is at version {current.Version}, not {record.Version - 1}: it changed since it was read; read it again and retry.");
            }

            _records[(record.Kind, record.Id)] = stored;
        }

        return Task.FromResult(stored);
    }

    public Task<StoredRecord?> GetAsync(string kind, string id, CancellationToken cancellationToken)
    {
        ReliabilityStoreRules.CheckKey(kind, id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_records.GetValueOrDefault((kind, id)));
        }
    }

    public Task<Page<StoredRecord>> ListAsync(RecordQuery query, CancellationToken cancellationToken)
    {
        ReliabilityStoreRules.CheckQuery(query, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        int limit = Keyset.ClampLimit(query.Limit);
        var after = ReliabilityStoreRules.After(query.Cursor, nameof(query));
        long since = query.Since is { } s ? ReliabilityStoreRules.Normalize(s).UtcTicks : long.MinValue;
        var found = new List<StoredRecord>(Math.Min(limit + 1, 64));
        lock (_gate)
        {
            if (!_byKind.TryGetValue(query.Kind, out var keys) || keys.Count == 0)
            {
                return Task.FromResult(new Page<StoredRecord>([], null));
            }

            // A view between the oldest key the filter allows and the cursor, walked newest first without copying.
            var lower = since == long.MinValue ? keys.Min : (since, "");
            var upper = after is { } a ? (a.CreatedAt.UtcTicks, a.Id) : keys.Max;
            if (KeyOrder.Compare(lower, upper) > 0)
            {
                return Task.FromResult(new Page<StoredRecord>([], null));
            }

            foreach (var key in keys.GetViewBetween(lower, upper).Reverse())
            {
                if (after is { } last && key.Ticks == last.CreatedAt.UtcTicks && key.Id == last.Id)
                {
                    continue;
                }

                var record = _records[(query.Kind, key.Id)];
                if ((query.Status is null || record.Status == query.Status) && (query.Label is null || record.Label == query.Label))
                {
                    found.Add(record);
                    if (found.Count > limit)
                    {
                        break;
                    }
                }
            }
        }

        return Task.FromResult(ReliabilityStoreRules.ToPage(found, limit));
    }

    public Task<bool> DeleteAsync(string kind, string id, CancellationToken cancellationToken)
    {
        ReliabilityStoreRules.CheckKey(kind, id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_records.Remove((kind, id), out var removed))
            {
                return Task.FromResult(false);
            }

            _byKind[kind].Remove((removed.CreatedAt.UtcTicks, id));
            return Task.FromResult(true);
        }
    }

    /// <summary>Compares two strings by Unicode code point (UTF-8 byte order), not by UTF-16 code unit.</summary>
    private static int CompareCodePoints(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return Fix(a[i]).CompareTo(Fix(b[i]));
            }
        }

        return a.Length.CompareTo(b.Length);

        // Surrogates (U+D800–U+DFFF) stand for code points above U+FFFF: move them above U+E000–U+FFFF.
        static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
    }
}
