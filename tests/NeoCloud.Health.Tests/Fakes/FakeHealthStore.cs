using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Persistence;

namespace NeoCloud.Health.Tests.Fakes;

/// <summary>
/// The production <see cref="InMemoryHealthStore"/> with the hooks the remediation tests need: every version written,
/// a conflict on demand, and a write behind the engine's back.
/// </summary>
internal sealed class FakeHealthStore : IHealthStore
{
    private readonly InMemoryHealthStore _store = new();
    private readonly List<string> _runIds = [];

    /// <summary>Versions written, in order: what the tests read to check each step was persisted.</summary>
    public List<RemediationRun> Writes { get; } = [];

    /// <summary>When set, the next update of this run fails as if another controller had written it first.</summary>
    public string? ConflictOnNextUpdateOf { get; set; }

    public Task AppendFindingsAsync(IReadOnlyList<Finding> findings, CancellationToken cancellationToken) =>
        _store.AppendFindingsAsync(findings, cancellationToken);

    public Task<Page<Finding>> ListFindingsAsync(FindingQuery query, CancellationToken cancellationToken) =>
        _store.ListFindingsAsync(query, cancellationToken);

    public Task AppendDiagnosisAsync(Diagnosis diagnosis, CancellationToken cancellationToken) =>
        _store.AppendDiagnosisAsync(diagnosis, cancellationToken);

    public Task<Diagnosis?> GetDiagnosisAsync(string id, CancellationToken cancellationToken) =>
        _store.GetDiagnosisAsync(id, cancellationToken);

    public Task<Page<Diagnosis>> ListDiagnosesAsync(DateTimeOffset? since, int limit, string? cursor, CancellationToken cancellationToken) =>
        _store.ListDiagnosesAsync(since, limit, cursor, cancellationToken);

    public async Task<RemediationRun> CreateRunAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        var stored = await _store.CreateRunAsync(run, cancellationToken);
        // A create that finds the diagnosis's run already stored writes nothing.
        if (!_runIds.Contains(stored.Id))
        {
            _runIds.Add(stored.Id);
            Writes.Add(stored);
        }

        return stored;
    }

    public async Task<RemediationRun> UpdateRunAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        if (ConflictOnNextUpdateOf == run.Id)
        {
            ConflictOnNextUpdateOf = null;
            throw new ConcurrencyConflictException($"Run {run.Id} was changed by another writer.");
        }

        var stored = await _store.UpdateRunAsync(run, cancellationToken);
        Writes.Add(stored);
        return stored;
    }

    /// <summary>Writes a version behind the engine's back, as a second controller would.</summary>
    public RemediationRun Overwrite(string id, Func<RemediationRun, RemediationRun> change)
    {
        var stored = _store.GetRunAsync(id, default).GetAwaiter().GetResult() ?? throw new KeyNotFoundException($"No run {id}.");
        return _store.UpdateRunAsync(change(stored) with { Version = stored.Version + 1 }, default).GetAwaiter().GetResult();
    }

    public Task<RemediationRun?> GetRunAsync(string id, CancellationToken cancellationToken) => _store.GetRunAsync(id, cancellationToken);

    public Task<IReadOnlyList<RemediationRun>> ListActiveRunsAsync(CancellationToken cancellationToken) => _store.ListActiveRunsAsync(cancellationToken);

    public Task<Page<RemediationRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) => _store.ListRunsAsync(query, cancellationToken);

    public Task<IReadOnlyList<RemediationRun>> ListRunsForNodeAsync(string node, DateTimeOffset since, CancellationToken cancellationToken) =>
        _store.ListRunsForNodeAsync(node, since, cancellationToken);

    /// <summary>Every run, oldest first.</summary>
    public IReadOnlyList<RemediationRun> AllRuns() =>
        [.. _runIds.Select(id => _store.GetRunAsync(id, default).GetAwaiter().GetResult()!).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
}
