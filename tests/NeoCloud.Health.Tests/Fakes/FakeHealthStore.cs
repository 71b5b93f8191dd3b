using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Persistence;

namespace NeoCloud.Health.Tests.Fakes;

/// <summary>
/// A test-only health store holding the contract's rules (idempotent appends, one run per diagnosis, optimistic
/// versions), so the remediation tests do not wait on the production in-memory store.
/// </summary>
internal sealed class FakeHealthStore : IHealthStore
{
    private readonly Lock _gate = new();
    private readonly List<Finding> _findings = [];
    private readonly Dictionary<string, Diagnosis> _diagnoses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RemediationRun> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _runByDiagnosis = new(StringComparer.Ordinal);

    /// <summary>Versions written, in order: what the tests read to check each step was persisted.</summary>
    public List<RemediationRun> Writes { get; } = [];

    /// <summary>When set, the next update of this run fails as if another controller had written it first.</summary>
    public string? ConflictOnNextUpdateOf { get; set; }

    public Task AppendFindingsAsync(IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var f in findings)
            {
                if (!_findings.Any(x => x.Id == f.Id))
                {
                    _findings.Add(f);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<Page<Finding>> ListFindingsAsync(FindingQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var all = _findings
                .Where(f => (query.Node is null || f.Node == query.Node) && (query.Code is null || f.Code == query.Code) && (query.Since is null || f.DetectedAt >= query.Since))
                .OrderByDescending(f => f.Id, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(Paged(all, query.Limit, query.Cursor));
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
            var all = _diagnoses.Values.Where(d => since is null || d.At >= since).OrderByDescending(d => d.Id, StringComparer.Ordinal).ToList();
            return Task.FromResult(Paged(all, limit, cursor));
        }
    }

    public Task<RemediationRun> CreateRunAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (run.Version != 1)
            {
                throw new ArgumentException($"A new run must be at version 1; {run.Id} is at {run.Version}.", nameof(run));
            }

            if (_runByDiagnosis.TryGetValue(run.DiagnosisId, out var existing))
            {
                return Task.FromResult(_runs[existing]);
            }

            if (_runs.ContainsKey(run.Id))
            {
                throw new InvalidOperationException($"Run id {run.Id} is taken by another diagnosis.");
            }

            _runs[run.Id] = run;
            _runByDiagnosis[run.DiagnosisId] = run.Id;
            Writes.Add(run);
            return Task.FromResult(run);
        }
    }

    public Task<RemediationRun> UpdateRunAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var stored = _runs.GetValueOrDefault(run.Id) ?? throw new KeyNotFoundException($"No run {run.Id}.");
            if (ConflictOnNextUpdateOf == run.Id)
            {
                ConflictOnNextUpdateOf = null;
                throw new ConcurrencyConflictException($"Run {run.Id} was changed by another writer.");
            }

            if (stored.Version != run.Version - 1)
            {
                throw new ConcurrencyConflictException($"Run {run.Id} is at version {stored.Version}, not {run.Version - 1}.");
            }

            _runs[run.Id] = run;
            Writes.Add(run);
            return Task.FromResult(run);
        }
    }

    /// <summary>Writes a version behind the engine's back, as a second controller would.</summary>
    public RemediationRun Overwrite(string id, Func<RemediationRun, RemediationRun> change)
    {
        lock (_gate)
        {
            var stored = _runs[id];
            var next = change(stored) with { Version = stored.Version + 1 };
            _runs[id] = next;
            return next;
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
            IReadOnlyList<RemediationRun> active = [.. _runs.Values.Where(r => !r.IsFinished).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
            return Task.FromResult(active);
        }
    }

    public Task<Page<RemediationRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var all = _runs.Values
                .Where(r => (query.Active is null || query.Active == !r.IsFinished) && (query.Node is null || Concerns(r, query.Node)))
                .OrderByDescending(r => r.Id, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(Paged(all, query.Limit, query.Cursor));
        }
    }

    public Task<IReadOnlyList<RemediationRun>> ListRunsForNodeAsync(string node, DateTimeOffset since, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<RemediationRun> runs = [.. _runs.Values.Where(r => r.CreatedAt >= since && Concerns(r, node)).OrderBy(r => r.CreatedAt)];
            return Task.FromResult(runs);
        }
    }

    public IReadOnlyList<RemediationRun> AllRuns()
    {
        lock (_gate)
        {
            return [.. _runs.Values.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
        }
    }

    private static bool Concerns(RemediationRun run, string node) =>
        run.Nodes.Contains(node) || run.Gpus.Any(g => g.StartsWith(node + "/", StringComparison.Ordinal));

    private static Page<T> Paged<T>(List<T> all, int limit, string? cursor)
    {
        int from = cursor is null ? 0 : int.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture);
        var items = all.Skip(from).Take(limit).ToList();
        string? next = from + items.Count < all.Count ? (from + items.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new Page<T>(items, next);
    }
}
