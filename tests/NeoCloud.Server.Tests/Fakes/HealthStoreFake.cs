using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Persistence;

namespace NeoCloud.Server.Tests.Fakes;

/// <summary>An <see cref="IHealthStore"/> in sorted dictionaries behind one lock, for the host's API tests (the Health context's own in-memory store passes the compliance suite).</summary>
public sealed class HealthStoreFake : IHealthStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Finding> _findings = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Diagnosis> _diagnoses = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, RemediationRun> _runs = new(StringComparer.Ordinal);

    public Task AppendFindingsAsync(IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var finding in findings)
            {
                _findings.TryAdd(finding.Id, finding);
            }
        }

        return Task.CompletedTask;
    }

    public Task<Page<Finding>> ListFindingsAsync(FindingQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Newest(_findings, query.Cursor, query.Limit, f =>
                (query.Node is null || f.Node == query.Node) && (query.Code is null || f.Code == query.Code) && (query.Since is null || f.DetectedAt >= query.Since)));
        }
    }

    public Task AppendDiagnosisAsync(Diagnosis diagnosis, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _diagnoses.TryAdd(diagnosis.Id, diagnosis);
        }

        return Task.CompletedTask;
    }

    public Task<Diagnosis?> GetDiagnosisAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_diagnoses.GetValueOrDefault(id));
        }
    }

    public Task<Page<Diagnosis>> ListDiagnosesAsync(DateTimeOffset? since, int limit, string? cursor, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Newest(_diagnoses, cursor, limit, d => since is null || d.At >= since));
        }
    }

    public Task<RemediationRun> CreateRunAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_runs.Values.FirstOrDefault(r => r.DiagnosisId == run.DiagnosisId) is { } existing)
            {
                return Task.FromResult(existing);
            }

            _runs.Add(run.Id, run);
            return Task.FromResult(run);
        }
    }

    public Task<RemediationRun> UpdateRunAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var stored = _runs.GetValueOrDefault(run.Id) ?? throw new KeyNotFoundException($"No remediation run '{run.Id}'.");
            if (stored.Version != run.Version - 1)
            {
                throw new ConcurrencyConflictException($"Run {run.Id} is at version {stored.Version}, not {run.Version - 1}.");
            }

            _runs[run.Id] = run;
            return Task.FromResult(run);
        }
    }

    public Task<RemediationRun?> GetRunAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_runs.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<RemediationRun>> ListActiveRunsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RemediationRun>>([.. _runs.Values.Where(r => !r.IsFinished)]);
        }
    }

    public Task<Page<RemediationRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Newest(_runs, query.Cursor, query.Limit, r =>
                (query.Active is null || query.Active == !r.IsFinished) && (query.Node is null || Touches(r, query.Node))));
        }
    }

    public Task<IReadOnlyList<RemediationRun>> ListRunsForNodeAsync(string node, DateTimeOffset since, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RemediationRun>>([.. _runs.Values.Where(r => r.CreatedAt >= since && Touches(r, node))]);
        }
    }

    private static bool Touches(RemediationRun run, string node) =>
        run.Nodes.Contains(node) || run.Gpus.Any(g => g.StartsWith(node + "/", StringComparison.Ordinal));

    // Newest first by id (ids sort by time); the cursor is the last id of the previous page.
    private static Page<T> Newest<T>(SortedDictionary<string, T> items, string? cursor, int limit, Func<T, bool> match)
    {
        if (!Cursor.TryDecode(cursor, out string? after))
        {
            throw new ArgumentException($"'{cursor}' is not a cursor this listing gave out.", nameof(cursor));
        }

        limit = Math.Clamp(limit, 1, 1000);
        var page = items.Reverse()
            .Where(kv => after is null || string.CompareOrdinal(kv.Key, after) < 0)
            .Where(kv => match(kv.Value))
            .Take(limit + 1)
            .ToList();
        if (page.Count <= limit)
        {
            return new Page<T>([.. page.Select(kv => kv.Value)], null);
        }

        page.RemoveAt(limit);
        return new Page<T>([.. page.Select(kv => kv.Value)], Cursor.Encode(page[^1].Key));
    }
}
