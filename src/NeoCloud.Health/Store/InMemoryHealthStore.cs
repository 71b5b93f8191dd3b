using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Persistence;

namespace NeoCloud.Health.Store;

/// <summary>
/// The Health store in process memory, held to the same compliance suite as the SQL stores: what the headless
/// simulation and tests run on. Thread-safe (one lock; every operation is short). Records are copied in (their lists
/// into arrays) so a caller that later changes a list it passed cannot change what is stored.
/// </summary>
public sealed class InMemoryHealthStore : IHealthStore
{
    private readonly Lock _gate = new();

    private readonly Dictionary<string, Finding> _findings = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _findingIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _findingsByNode = new(StringComparer.Ordinal);

    private readonly Dictionary<string, Diagnosis> _diagnoses = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _diagnosisIds = new(StringComparer.Ordinal);

    private readonly Dictionary<string, RemediationRun> _runs = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _runIds = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _activeRunIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _runByDiagnosis = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _nodesByRun = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _runsByNode = new(StringComparer.Ordinal);

    /// <summary>How many findings are stored (the simulation reports it).</summary>
    public int FindingCount
    {
        get
        {
            lock (_gate)
            {
                return _findings.Count;
            }
        }
    }

    public Task AppendFindingsAsync(IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(findings);
        cancellationToken.ThrowIfCancellationRequested();

        // Checked before anything is stored: a batch with one bad finding stores none, as the SQL stores' transaction does.
        foreach (var finding in findings)
        {
            HealthStoreRules.CheckFinding(finding, nameof(findings));
        }

        lock (_gate)
        {
            foreach (var finding in findings)
            {
                if (_findings.TryAdd(finding.Id, Copy(finding)))
                {
                    _findingIds.Add(finding.Id);
                    if (finding.Node is not null)
                    {
                        Add(_findingsByNode, finding.Node, finding.Id);
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<Page<Finding>> ListFindingsAsync(FindingQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        int limit = Keyset.ClampLimit(query.Limit);
        string? after = Keyset.After(query.Cursor, nameof(query));
        lock (_gate)
        {
            // A node's findings are indexed: a per-node listing walks that node's findings only.
            SortedSet<string> ids = query.Node is null ? _findingIds : _findingsByNode.GetValueOrDefault(query.Node) ?? [];
            return Task.FromResult(NewestFirst(ids, _findings, after, limit, f =>
                (query.Code is null || string.Equals(f.Code, query.Code, StringComparison.Ordinal))
                && (query.Since is null || f.DetectedAt >= query.Since.Value)));
        }
    }

    public Task AppendDiagnosisAsync(Diagnosis diagnosis, CancellationToken cancellationToken)
    {
        HealthStoreRules.CheckDiagnosis(diagnosis, nameof(diagnosis));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_diagnoses.TryAdd(diagnosis.Id, Copy(diagnosis)))
            {
                _diagnosisIds.Add(diagnosis.Id);
            }
        }

        return Task.CompletedTask;
    }

    public Task<Diagnosis?> GetDiagnosisAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_diagnoses.GetValueOrDefault(id));
        }
    }

    public Task<Page<Diagnosis>> ListDiagnosesAsync(DateTimeOffset? since, int limit, string? cursor, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int pageSize = Keyset.ClampLimit(limit);
        string? after = Keyset.After(cursor, nameof(cursor));
        lock (_gate)
        {
            return Task.FromResult(NewestFirst(_diagnosisIds, _diagnoses, after, pageSize, d => since is null || d.At >= since.Value));
        }
    }

    public Task<RemediationRun> CreateRunAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        HealthStoreRules.CheckRun(run, nameof(run));
        if (run.Version != 1)
        {
            throw new ArgumentException($"Run '{run.Id}' is created at version {run.Version}; a new run is at version 1.", nameof(run));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var nodes = HealthStoreRules.NodesOf(run);
        lock (_gate)
        {
            if (_runByDiagnosis.TryGetValue(run.DiagnosisId, out string? existing))
            {
                return Task.FromResult(_runs[existing]);
            }

            if (_runs.TryGetValue(run.Id, out var other))
            {
                throw new InvalidOperationException(
                    $"A run with id {run.Id} already exists for diagnosis {other.DiagnosisId}, not {run.DiagnosisId}; nothing was created.");
            }

            var stored = Copy(run);
            _runs.Add(run.Id, stored);
            _runIds.Add(run.Id);
            _runByDiagnosis.Add(run.DiagnosisId, run.Id);
            Index(stored, nodes);
            return Task.FromResult(stored);
        }
    }

    public Task<RemediationRun> UpdateRunAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        HealthStoreRules.CheckRun(run, nameof(run));
        if (run.Version < 2)
        {
            throw new ArgumentException($"Run '{run.Id}' is updated to version {run.Version}; an update writes version 2 or later.", nameof(run));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var nodes = HealthStoreRules.NodesOf(run);
        lock (_gate)
        {
            var current = _runs.GetValueOrDefault(run.Id) ?? throw new KeyNotFoundException($"No remediation run '{run.Id}'.");
            if (!string.Equals(current.DiagnosisId, run.DiagnosisId, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Run '{run.Id}' acts on diagnosis {current.DiagnosisId}; an update cannot move it to {run.DiagnosisId}.", nameof(run));
            }

            if (current.Version != run.Version - 1)
            {
                throw new ConcurrencyConflictException(
                    $"Run {run.Id} is at version {current.Version} ({current.Step}), not {run.Version - 1}: it changed since it was read; read it again and retry.");
            }

            Unindex(current);
            var stored = Copy(run);
            _runs[run.Id] = stored;
            Index(stored, nodes);
            return Task.FromResult(stored);
        }
    }

    public Task<RemediationRun?> GetRunAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_runs.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<RemediationRun>> ListActiveRunsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RemediationRun>>([.. _activeRunIds.Select(id => _runs[id])]);
        }
    }

    public Task<Page<RemediationRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        int limit = Keyset.ClampLimit(query.Limit);
        string? after = Keyset.After(query.Cursor, nameof(query));
        lock (_gate)
        {
            SortedSet<string> ids = query.Node is null
                ? _runIds
                : _runsByNode.GetValueOrDefault(query.Node) ?? [];
            return Task.FromResult(NewestFirst(ids, _runs, after, limit, r => query.Active is null || query.Active.Value != r.IsFinished));
        }
    }

    public Task<IReadOnlyList<RemediationRun>> ListRunsForNodeAsync(string node, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_runsByNode.TryGetValue(node, out var ids))
            {
                return Task.FromResult<IReadOnlyList<RemediationRun>>([]);
            }

            return Task.FromResult<IReadOnlyList<RemediationRun>>([.. ids.Select(id => _runs[id]).Where(r => r.CreatedAt >= since)]);
        }
    }

    private static Page<T> NewestFirst<T>(SortedSet<string> ids, Dictionary<string, T> items, string? after, int limit, Func<T, bool> matches)
    {
        var page = new List<T>(Math.Min(limit, 64));
        if (ids.Count == 0)
        {
            return new Page<T>(page, null);
        }

        SortedSet<string> below = after is null
            ? ids
            : string.CompareOrdinal(after, ids.Min) < 0 ? [] : ids.GetViewBetween(ids.Min!, after);
        string? last = null;
        foreach (string id in below.Reverse())
        {
            if (after is not null && string.Equals(id, after, StringComparison.Ordinal))
            {
                continue;
            }

            var item = items[id];
            if (!matches(item))
            {
                continue;
            }

            if (page.Count == limit)
            {
                return new Page<T>(page, Cursor.Encode(last!));
            }

            page.Add(item);
            last = id;
        }

        return new Page<T>(page, null);
    }

    private void Index(RemediationRun run, IReadOnlyList<string> nodes)
    {
        if (!run.IsFinished)
        {
            _activeRunIds.Add(run.Id);
        }

        _nodesByRun[run.Id] = nodes;
        foreach (string node in nodes)
        {
            Add(_runsByNode, node, run.Id);
        }
    }

    private static void Add(Dictionary<string, SortedSet<string>> index, string key, string id)
    {
        if (!index.TryGetValue(key, out var ids))
        {
            ids = new SortedSet<string>(StringComparer.Ordinal);
            index.Add(key, ids);
        }

        ids.Add(id);
    }

    private void Unindex(RemediationRun run)
    {
        _activeRunIds.Remove(run.Id);
        foreach (string node in _nodesByRun[run.Id])
        {
            var ids = _runsByNode[node];
            ids.Remove(run.Id);
            if (ids.Count == 0)
            {
                _runsByNode.Remove(node);
            }
        }
    }

    private static Finding Copy(Finding finding) => finding with { Evidence = [.. finding.Evidence] };

    private static Diagnosis Copy(Diagnosis diagnosis) => diagnosis with
    {
        Nodes = [.. diagnosis.Nodes],
        Gpus = [.. diagnosis.Gpus],
        Findings = [.. diagnosis.Findings.Select(Copy)],
    };

    private static RemediationRun Copy(RemediationRun run) => run with
    {
        Nodes = [.. run.Nodes],
        Gpus = [.. run.Gpus],
        Ladder = [.. run.Ladder],
        History = [.. run.History],
    };
}
