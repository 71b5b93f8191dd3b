using NeoCloud.Access.Audit;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Audit;

namespace NeoCloud.Access.Tests.Fakes;

/// <summary>An <see cref="IAuditStore"/> in a list with the store contract's source-id rule; appends yield first so concurrent callers interleave.</summary>
public sealed class ListAuditStore : IAuditStore
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

            var record = AuditChain.Seal(_records.Count + 1, entry, _records.Count == 0 ? AuditChain.Genesis : _records[^1].Hash);
            _records.Add(record);
            return record;
        }
    }

    public Task<Page<AuditRecord>> ListAsync(string? target, int limit, string? cursor, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new Page<AuditRecord>([.. _records.Where(r => target is null || r.Target == target)], null));
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
}
