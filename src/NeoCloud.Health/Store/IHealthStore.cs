using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Kernel;

namespace NeoCloud.Health.Store;

/// <summary>A keyset-paged listing of findings, newest first; null filters match everything.</summary>
public sealed record FindingQuery(string? Node = null, string? Code = null, DateTimeOffset? Since = null, int Limit = 100, string? Cursor = null);

/// <summary>A keyset-paged listing of remediation runs, newest first.</summary>
/// <param name="Active">True: unfinished runs only; false: finished only; null: all.</param>
public sealed record RunQuery(bool? Active = null, string? Node = null, int Limit = 100, string? Cursor = null);

/// <summary>
/// The Health context's state of record: findings, diagnoses and remediation runs. SQLite (embedded), PostgreSQL and an
/// in-memory implementation, held to one compliance suite. Appends are idempotent on ids; runs change under
/// optimistic concurrency, so two controllers can never both advance one run.
/// </summary>
public interface IHealthStore
{
    /// <summary>Stores findings; one already stored (same id) is left as it is.</summary>
    Task AppendFindingsAsync(IReadOnlyList<Finding> findings, CancellationToken cancellationToken);

    Task<Page<Finding>> ListFindingsAsync(FindingQuery query, CancellationToken cancellationToken);

    /// <summary>Stores a diagnosis; one already stored (same id) is left as it is.</summary>
    Task AppendDiagnosisAsync(Diagnosis diagnosis, CancellationToken cancellationToken);

    Task<Diagnosis?> GetDiagnosisAsync(string id, CancellationToken cancellationToken);

    Task<Page<Diagnosis>> ListDiagnosesAsync(DateTimeOffset? since, int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a run (its <see cref="RemediationRun.Version"/> must be 1). Idempotent on <see cref="RemediationRun.DiagnosisId"/>:
    /// when a run for that diagnosis exists, it is returned unchanged and nothing is written.
    /// </summary>
    Task<RemediationRun> CreateRunAsync(RemediationRun run, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a run with its next version (<paramref name="run"/>.Version = stored version + 1), in one transaction, if
    /// the stored one is still at <paramref name="run"/>.Version − 1; otherwise throws
    /// <see cref="Kernel.Persistence.ConcurrencyConflictException"/>.
    /// </summary>
    Task<RemediationRun> UpdateRunAsync(RemediationRun run, CancellationToken cancellationToken);

    Task<RemediationRun?> GetRunAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every unfinished run, oldest first: what a restarted controller resumes.</summary>
    Task<IReadOnlyList<RemediationRun>> ListActiveRunsAsync(CancellationToken cancellationToken);

    Task<Page<RemediationRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>Runs that fenced <paramref name="node"/> (or one of its GPUs) created at or after <paramref name="since"/>: cooldowns and repeat offenders.</summary>
    Task<IReadOnlyList<RemediationRun>> ListRunsForNodeAsync(string node, DateTimeOffset since, CancellationToken cancellationToken);
}
