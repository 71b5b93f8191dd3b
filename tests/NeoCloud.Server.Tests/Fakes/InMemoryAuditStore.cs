using System.Globalization;
using NeoCloud.Access.Audit;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Audit;

namespace NeoCloud.Server.Tests.Fakes;

/// <summary>An <see cref="IAuditStore"/> in a list, chained with the real <see cref="AuditChain"/>, with the contract's source-id rule; appends yield first so concurrent callers interleave.</summary>
public sealed class InMemoryAuditStore : IAuditStore
{
    private readonly Lock _gate = new();
    private readonly List<AuditRecord> _records = [];

    public IReadOnlyList<AuditRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_gate)
        {
            if (entry.SourceId is not null && _records.Find(r => r.SourceId == entry.SourceId) is { } existing)
            {
                return existing;
            }

            string previous = _records.Count == 0 ? AuditChain.Genesis : _records[^1].Hash;
            var record = AuditChain.Seal(_records.Count + 1, entry, previous);
            _records.Add(record);
            return record;
        }
    }

    public Task<long> LastSourceSequenceAsync(string stream, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            long last = 0;
            foreach (var r in _records)
            {
                if (AuditSource.TryParse(r.SourceId, out string s, out long sequence) && s == stream)
                {
                    last = Math.Max(last, sequence);
                }
            }

            return Task.FromResult(last);
        }
    }

    public Task<Page<AuditRecord>> ListAsync(string? target, int limit, string? cursor, CancellationToken cancellationToken)
    {
        long after = 0;
        if (Cursor.TryDecode(cursor, out string? last) && last is not null)
        {
            after = long.Parse(last, CultureInfo.InvariantCulture);
        }

        lock (_gate)
        {
            var items = _records.Where(r => r.Sequence > after && (target is null || r.Target == target)).Take(limit + 1).ToList();
            if (items.Count <= limit)
            {
                return Task.FromResult(new Page<AuditRecord>(items, null));
            }

            items.RemoveAt(limit);
            return Task.FromResult(new Page<AuditRecord>(items, Cursor.Encode(items[^1].Sequence.ToString(CultureInfo.InvariantCulture))));
        }
    }
}
