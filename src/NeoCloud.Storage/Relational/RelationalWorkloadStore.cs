using System.Data.Common;
using System.Text;
using Dapper;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Storage.Relational;

/// <summary>
/// The workload store over SQL, written once with <c>{workloads}.</c> placeholders. Every state change is a guarded
/// update (version check) and its event row in one transaction; the event log is appended under a lock held to commit,
/// so sequence order is commit order and a relay never skips an event.
/// </summary>
internal abstract class RelationalWorkloadStore(Database database) : IWorkloadStore
{
    protected Database Database { get; } = database;

    public async Task<SubmitResult> SubmitAsync(Job job, JobEvent submitted, CancellationToken cancellationToken)
    {
        CheckNew(job, submitted);
        await using var c = await Database.OpenAsync(cancellationToken);
        await using var tx = await Database.BeginWriteAsync(c, cancellationToken);
        if (job.IdempotencyKey is not null && await ReadByKeyAsync(c, tx, job, cancellationToken) is { } existing)
        {
            return SameSpecOrConflict(job, existing);
        }

        // "on conflict do nothing": a concurrent submission of the same key that committed first wins; PostgreSQL waits
        // for it here and then inserts nothing, SQLite already serialised us behind it with BEGIN IMMEDIATE.
        int inserted = await c.ExecuteAsync(Command(
            "insert into {workloads}.jobs (id, kind, name, tenant, queue, idempotency_key, spec, state, version, attempt, retries_used, " +
            "retry_budget, checkpoint_ticks, checkpoint_at, placement, submitted_at, started_at, finished_at, last_reason) values " +
            "(@id, @kind, @name, @tenant, @queue, @key, @spec, @state, @version, @attempt, @retriesUsed, @retryBudget, @checkpointTicks, " +
            "@checkpointAt, @placement, @submittedAt, @startedAt, @finishedAt, @lastReason) on conflict do nothing",
            JobRow.Parameters(job, Database), tx, cancellationToken));
        if (inserted == 0)
        {
            var winner = job.IdempotencyKey is null ? null : await ReadByKeyAsync(c, tx, job, cancellationToken);
            return winner is not null
                ? SameSpecOrConflict(job, winner)
                : throw new InvalidOperationException($"A job with id {job.Id} already exists; nothing was submitted.");
        }

        await AppendEventAsync(c, tx, submitted, cancellationToken);
        var stored = (await ReadAsync(c, tx, job.Id, cancellationToken))!;
        await tx.CommitAsync(cancellationToken);
        return new SubmitResult(stored, true);
    }

    public async Task<Job?> GetAsync(JobId id, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        return await ReadAsync(c, null, id, cancellationToken);
    }

    public async Task<Page<Job>> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        int limit = Keyset.ClampLimit(query.Limit);
        string? after = Keyset.After(query.Cursor, nameof(query));
        var sql = new StringBuilder("select ").Append(JobRow.Columns).Append(" from {workloads}.jobs where 1 = 1");
        var parameters = new DynamicParameters();
        Filter(sql, parameters, "id >", "after", after);
        Filter(sql, parameters, "tenant =", "tenant", query.Tenant?.Value);
        Filter(sql, parameters, "queue =", "queue", query.Queue?.Value);
        Filter(sql, parameters, "name =", "name", query.Name);
        if (query.States is { Count: > 0 } states)
        {
            // One parameter per state: Dapper expands "in @list" on SQLite but hands Npgsql an array, which "in" does not take.
            var names = states.Select(s => s.ToString()).Distinct().ToList();
            sql.Append(" and state in (").AppendJoin(", ", names.Select((_, i) => $"@state{i}")).Append(')');
            for (int i = 0; i < names.Count; i++)
            {
                parameters.Add($"state{i}", names[i]);
            }
        }

        sql.Append(" order by id limit @limit");
        parameters.Add("limit", limit + 1);
        await using var c = await Database.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<JobRow>(Command(sql.ToString(), parameters, null, cancellationToken));
        return Keyset.ToPage(rows.Select(r => r.ToJob(Database)).ToList(), limit, j => j.Id.Value);
    }

    public async Task<JobChange> TransitionAsync(JobId id, long expectedVersion, JobTransition transition, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        await using var tx = await Database.BeginWriteAsync(c, cancellationToken);
        var current = await ReadAsync(c, tx, id, cancellationToken) ?? throw new KeyNotFoundException($"No job '{id}'.");
        if (current.Version != expectedVersion)
        {
            throw Conflict(current, expectedVersion);
        }

        var (next, e) = JobMachine.Apply(current, transition);

        // Guarded on the version read: on PostgreSQL a concurrent change that committed since makes this update no row.
        if (await c.ExecuteAsync(Command(
            "update {workloads}.jobs set state = @state, version = @version, attempt = @attempt, retries_used = @retriesUsed, " +
            "placement = @placement, started_at = @startedAt, finished_at = @finishedAt, last_reason = @lastReason " +
            "where id = @id and version = @expected",
            new
            {
                state = next.State.ToString(),
                version = next.Version,
                attempt = next.Attempt,
                retriesUsed = next.RetriesUsed,
                placement = PlacementJson.Write(next.Placement),
                startedAt = next.StartedAt is { } s ? Database.ToDb(s) : null,
                finishedAt = next.FinishedAt is { } f ? Database.ToDb(f) : null,
                lastReason = next.LastReason,
                id = id.Value,
                expected = expectedVersion,
            },
            tx, cancellationToken)) == 0)
        {
            throw Conflict((await ReadAsync(c, tx, id, cancellationToken))!, expectedVersion);
        }

        var stored = await AppendEventAsync(c, tx, e, cancellationToken);
        var updated = (await ReadAsync(c, tx, id, cancellationToken))!;
        await tx.CommitAsync(cancellationToken);
        return new JobChange(updated, stored);
    }

    public async Task<Job> RecordCheckpointAsync(JobId id, int attempt, TimeSpan progress, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        await using var tx = await Database.BeginWriteAsync(c, cancellationToken);
        var current = await ReadAsync(c, tx, id, cancellationToken) ?? throw new KeyNotFoundException($"No job '{id}'.");
        var next = JobMachine.RecordCheckpoint(current, attempt, progress, at);
        if (!ReferenceEquals(next, current))
        {
            // Guarded so a late report never lowers what a concurrent, newer report saved.
            await c.ExecuteAsync(Command(
                "update {workloads}.jobs set checkpoint_ticks = @ticks, checkpoint_at = @at " +
                "where id = @id and attempt = @attempt and (checkpoint_ticks is null or checkpoint_ticks < @ticks)",
                new { ticks = progress.Ticks, at = Database.ToDb(at), id = id.Value, attempt },
                tx, cancellationToken));
        }

        var stored = (await ReadAsync(c, tx, id, cancellationToken))!;
        await tx.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<IReadOnlyList<JobEvent>> ListEventsAsync(JobId id, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<JobEventRow>(Command(
            "select " + JobEventRow.Columns + " from {workloads}.events where job_id = @id order by seq", new { id = id.Value }, null, cancellationToken));
        return [.. rows.Select(r => r.ToEvent(Database))];
    }

    public async Task<IReadOnlyList<JobEvent>> ListEventsAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var c = await Database.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<JobEventRow>(Command(
            "select " + JobEventRow.Columns + " from {workloads}.events where seq > @after order by seq limit @limit",
            new { after = afterSequence, limit }, null, cancellationToken));
        return [.. rows.Select(r => r.ToEvent(Database))];
    }

    public async Task<Declaration> UpsertDeclarationAsync(
        DeclarationKind kind, string name, TenantId? tenant, string text, long expectedVersion, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        var parameters = new
        {
            kind = kind.ToString(),
            name,
            tenant = tenant?.Value,
            body = text,
            version = expectedVersion + 1,
            expected = expectedVersion,
            at = Database.ToDb(at),
        };
        await using var c = await Database.OpenAsync(cancellationToken);
        await using var tx = await Database.BeginWriteAsync(c, cancellationToken);
        int written = expectedVersion == 0
            ? await c.ExecuteAsync(Command(
                "insert into {workloads}.declarations (kind, name, tenant, body, version, updated_at) " +
                "values (@kind, @name, @tenant, @body, @version, @at) on conflict do nothing", parameters, tx, cancellationToken))
            : await c.ExecuteAsync(Command(
                "update {workloads}.declarations set tenant = @tenant, body = @body, version = @version, updated_at = @at " +
                "where kind = @kind and name = @name and version = @expected", parameters, tx, cancellationToken));
        var stored = await ReadDeclarationAsync(c, tx, kind, name, cancellationToken);
        if (written == 0)
        {
            throw new ConcurrencyConflictException(
                $"{kind} '{name}' is at version {stored?.Version ?? 0} (0: it does not exist), not {expectedVersion}; read it again and retry.");
        }

        await tx.CommitAsync(cancellationToken);
        return stored!;
    }

    public async Task<Declaration?> GetDeclarationAsync(DeclarationKind kind, string name, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        return await ReadDeclarationAsync(c, null, kind, name, cancellationToken);
    }

    public async Task<IReadOnlyList<Declaration>> ListDeclarationsAsync(DeclarationKind? kind, TenantId? tenant, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("select ").Append(DeclarationRow.Columns).Append(" from {workloads}.declarations where 1 = 1");
        var parameters = new DynamicParameters();
        Filter(sql, parameters, "kind =", "kind", kind?.ToString());
        Filter(sql, parameters, "tenant =", "tenant", tenant?.Value);
        sql.Append(" order by kind, name");
        await using var c = await Database.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<DeclarationRow>(Command(sql.ToString(), parameters, null, cancellationToken));

        // Kinds sort by their enum order, not their names, as the in-memory store does.
        return [.. rows.Select(r => r.ToDeclaration(Database)).OrderBy(d => d.Kind).ThenBy(d => d.Name, StringComparer.Ordinal)];
    }

    public async Task<bool> DeleteDeclarationAsync(DeclarationKind kind, string name, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        await using var tx = await Database.BeginWriteAsync(c, cancellationToken);
        int deleted = await c.ExecuteAsync(Command(
            "delete from {workloads}.declarations where kind = @kind and name = @name and version = @expected",
            new { kind = kind.ToString(), name, expected = expectedVersion }, tx, cancellationToken));
        if (deleted == 0)
        {
            var current = await ReadDeclarationAsync(c, tx, kind, name, cancellationToken);
            if (current is null)
            {
                return false;
            }

            throw new ConcurrencyConflictException($"{kind} '{name}' is at version {current.Version}, not {expectedVersion}; read it again and retry.");
        }

        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Holds, until <paramref name="transaction"/> ends, the right to append to the event log (see the class summary).</summary>
    protected abstract Task LockEventLogAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    private async Task<JobEvent> AppendEventAsync(DbConnection c, DbTransaction tx, JobEvent e, CancellationToken cancellationToken)
    {
        await LockEventLogAsync(c, tx, cancellationToken);
        long seq = await c.ExecuteScalarAsync<long>(Command(
            "insert into {workloads}.events (job_id, from_state, to_state, reason, actor, at, attempt, details) " +
            "values (@job, @from, @to, @reason, @actor, @at, @attempt, @details) returning seq",
            new
            {
                job = e.Job.Value,
                from = e.From?.ToString(),
                to = e.To.ToString(),
                reason = e.Reason,
                actor = e.Actor,
                at = Database.ToDb(e.At),
                attempt = e.Attempt,
                details = e.Details,
            },
            tx, cancellationToken));
        return e with { Sequence = seq, At = Database.Normalize(e.At) };
    }

    private static SubmitResult SameSpecOrConflict(Job submitted, Job existing) =>
        existing.SpecJson == submitted.SpecJson
            ? new SubmitResult(existing, false)
            : throw new IdempotencyConflictException(submitted.Tenant, submitted.IdempotencyKey!, existing.Id);

    private static ConcurrencyConflictException Conflict(Job current, long expected) => new(
        $"Job {current.Id} is at version {current.Version} ({current.State}), not {expected}: it changed since it was read; read it again and retry.");

    private static void CheckNew(Job job, JobEvent submitted)
    {
        if (job.State != JobState.Pending || job.Version != 1 || submitted.Job != job.Id || submitted.From is not null || submitted.To != JobState.Pending)
        {
            throw new ArgumentException($"Job {job.Id} is not a fresh submission (Job.Submit makes one): it is {job.State} at version {job.Version}.", nameof(job));
        }
    }

    private async Task<Job?> ReadAsync(DbConnection c, DbTransaction? tx, JobId id, CancellationToken cancellationToken) =>
        (await c.QuerySingleOrDefaultAsync<JobRow>(Command(
            "select " + JobRow.Columns + " from {workloads}.jobs where id = @id", new { id = id.Value }, tx, cancellationToken)))?.ToJob(Database);

    private async Task<Job?> ReadByKeyAsync(DbConnection c, DbTransaction tx, Job job, CancellationToken cancellationToken) =>
        (await c.QuerySingleOrDefaultAsync<JobRow>(Command(
            "select " + JobRow.Columns + " from {workloads}.jobs where tenant = @tenant and idempotency_key = @key",
            new { tenant = job.Tenant.Value, key = job.IdempotencyKey }, tx, cancellationToken)))?.ToJob(Database);

    private async Task<Declaration?> ReadDeclarationAsync(DbConnection c, DbTransaction? tx, DeclarationKind kind, string name, CancellationToken cancellationToken) =>
        (await c.QuerySingleOrDefaultAsync<DeclarationRow>(Command(
            "select " + DeclarationRow.Columns + " from {workloads}.declarations where kind = @kind and name = @name",
            new { kind = kind.ToString(), name }, tx, cancellationToken)))?.ToDeclaration(Database);

    private CommandDefinition Command(string sql, object? parameters, DbTransaction? tx, CancellationToken cancellationToken) =>
        new(Database.Dialect.Translate(sql), parameters, tx, cancellationToken: cancellationToken);

    private static void Filter(StringBuilder sql, DynamicParameters parameters, string condition, string name, string? value)
    {
        if (value is not null)
        {
            sql.Append(" and ").Append(condition).Append(" @").Append(name);
            parameters.Add(name, value);
        }
    }
}
