using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Persistence;

namespace NeoCloud.Storage.Relational;

/// <summary>
/// The Health store over SQL, written once with <c>{health}.</c> placeholders. Records are JSON documents beside the
/// columns listings filter on. Appends are "insert … on conflict do nothing" in one transaction; a run changes by a
/// version-guarded update, and its run_nodes rows change with it in the same transaction. No lock of our own is needed on
/// either backend: SQLite's <c>BEGIN IMMEDIATE</c> serialises writers, and on PostgreSQL a concurrent create waits on the
/// unique diagnosis index and then inserts nothing. Only how a batch of findings is sent differs (see AppendFindingsAsync).
/// </summary>
internal sealed class RelationalHealthStore(Database database) : IHealthStore
{
    private const string RunColumns = DocumentRow.Columns;

    // 5 parameters a row: 1,250 parameters a statement, well under SQLite's and PostgreSQL's limits.
    private const int FindingsPerInsert = 250;

    public async Task AppendFindingsAsync(IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(findings);
        foreach (var finding in findings)
        {
            HealthStoreRules.CheckFinding(finding, nameof(findings));
        }

        if (findings.Count == 0)
        {
            return;
        }

        await using var c = await database.OpenAsync(cancellationToken);
        await using var tx = await database.BeginWriteAsync(c, cancellationToken);

        if (database.Backend == StoreBackend.Sqlite)
        {
            // In process, one prepared statement run per finding is the fastest way in: there is no round trip to save.
            await c.ExecuteAsync(Command(
                "insert into {health}.findings (id, node, code, detected_at, document) values (@id, @node, @code, @at, @doc) on conflict do nothing",
                findings.Select(f => new { id = f.Id, node = f.Node, code = f.Code, at = database.ToDb(f.DetectedAt), doc = HealthJson.Write(f) }),
                tx, cancellationToken));
            await tx.CommitAsync(cancellationToken);
            return;
        }

        // Over the network, multi-row inserts: one statement per chunk, not one round trip per finding.
        foreach (var chunk in findings.Chunk(FindingsPerInsert))
        {
            // Only the fixed head goes through the dialect (and its cache of translations); the rows vary with the chunk.
            var sql = new StringBuilder(database.Dialect.Translate("insert into {health}.findings (id, node, code, detected_at, document) values "));
            var parameters = new DynamicParameters();
            for (int i = 0; i < chunk.Length; i++)
            {
                var f = chunk[i];
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@id{i}, @node{i}, @code{i}, @at{i}, @doc{i})");
                parameters.Add($"id{i}", f.Id);
                parameters.Add($"node{i}", f.Node);
                parameters.Add($"code{i}", f.Code);
                parameters.Add($"at{i}", database.ToDb(f.DetectedAt));
                parameters.Add($"doc{i}", HealthJson.Write(f));
            }

            sql.Append(" on conflict do nothing");
            await c.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, tx, cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
    }

    public async Task<Page<Finding>> ListFindingsAsync(FindingQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        int limit = Keyset.ClampLimit(query.Limit);
        string? after = Keyset.After(query.Cursor, nameof(query));
        var sql = new StringBuilder("select " + DocumentRow.Columns + " from {health}.findings where 1 = 1");
        var parameters = new DynamicParameters();
        Filter(sql, parameters, "id <", "after", after);
        Filter(sql, parameters, "node =", "node", query.Node);
        Filter(sql, parameters, "code =", "code", query.Code);
        Filter(sql, parameters, "detected_at >=", "since", query.Since is { } since ? database.ToDb(since) : null);
        return await NewestFirstAsync<Finding>(sql, parameters, limit, cancellationToken);
    }

    public async Task AppendDiagnosisAsync(Diagnosis diagnosis, CancellationToken cancellationToken)
    {
        HealthStoreRules.CheckDiagnosis(diagnosis, nameof(diagnosis));
        await using var c = await database.OpenAsync(cancellationToken);
        await using var tx = await database.BeginWriteAsync(c, cancellationToken);
        await c.ExecuteAsync(Command(
            "insert into {health}.diagnoses (id, at, document) values (@id, @at, @document) on conflict do nothing",
            new { id = diagnosis.Id, at = database.ToDb(diagnosis.At), document = HealthJson.Write(diagnosis) },
            tx, cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<Diagnosis?> GetDiagnosisAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var c = await database.OpenAsync(cancellationToken);
        string? json = await c.QuerySingleOrDefaultAsync<string>(Command(
            "select document from {health}.diagnoses where id = @id", new { id }, null, cancellationToken));
        return json is null ? null : HealthJson.Read<Diagnosis>(json, id);
    }

    public async Task<Page<Diagnosis>> ListDiagnosesAsync(DateTimeOffset? since, int limit, string? cursor, CancellationToken cancellationToken)
    {
        int pageSize = Keyset.ClampLimit(limit);
        string? after = Keyset.After(cursor, nameof(cursor));
        var sql = new StringBuilder("select " + DocumentRow.Columns + " from {health}.diagnoses where 1 = 1");
        var parameters = new DynamicParameters();
        Filter(sql, parameters, "id <", "after", after);
        Filter(sql, parameters, "at >=", "since", since is { } s ? database.ToDb(s) : null);
        return await NewestFirstAsync<Diagnosis>(sql, parameters, pageSize, cancellationToken);
    }

    public async Task<RemediationRun> CreateRunAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        HealthStoreRules.CheckRun(run, nameof(run));
        if (run.Version != 1)
        {
            throw new ArgumentException($"Run '{run.Id}' is created at version {run.Version}; a new run is at version 1.", nameof(run));
        }

        var nodes = HealthStoreRules.NodesOf(run);
        await using var c = await database.OpenAsync(cancellationToken);
        await using var tx = await database.BeginWriteAsync(c, cancellationToken);
        if (await ReadByDiagnosisAsync(c, tx, run.DiagnosisId, cancellationToken) is { } existing)
        {
            return existing;
        }

        // A concurrent create of the same diagnosis that committed first wins: PostgreSQL waits for it on the unique
        // index and then inserts nothing; SQLite already queued us behind it with BEGIN IMMEDIATE.
        int inserted = await c.ExecuteAsync(Command(
            "insert into {health}.runs (id, diagnosis_id, step, finished, created_at, version, document) " +
            "values (@id, @diagnosisId, @step, @finished, @createdAt, @version, @document) on conflict do nothing",
            RunParameters(run, run.Version), tx, cancellationToken));
        if (inserted == 0)
        {
            return await ReadByDiagnosisAsync(c, tx, run.DiagnosisId, cancellationToken)
                ?? throw new InvalidOperationException(
                    $"A run with id {run.Id} already exists for another diagnosis than {run.DiagnosisId}; nothing was created.");
        }

        await InsertNodesAsync(c, tx, run.Id, nodes, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return run;
    }

    public async Task<RemediationRun> UpdateRunAsync(RemediationRun run, CancellationToken cancellationToken)
    {
        HealthStoreRules.CheckRun(run, nameof(run));
        if (run.Version < 2)
        {
            throw new ArgumentException($"Run '{run.Id}' is updated to version {run.Version}; an update writes version 2 or later.", nameof(run));
        }

        var nodes = HealthStoreRules.NodesOf(run);
        await using var c = await database.OpenAsync(cancellationToken);
        await using var tx = await database.BeginWriteAsync(c, cancellationToken);

        // Guarded on the version: on PostgreSQL a concurrent update that committed since makes this one touch no row.
        int updated = await c.ExecuteAsync(Command(
            "update {health}.runs set step = @step, finished = @finished, created_at = @createdAt, version = @version, document = @document " +
            "where id = @id and diagnosis_id = @diagnosisId and version = @expected",
            RunParameters(run, run.Version - 1), tx, cancellationToken));
        if (updated == 0)
        {
            var current = await ReadRunAsync(c, tx, run.Id, cancellationToken)
                ?? throw new KeyNotFoundException($"No remediation run '{run.Id}'.");
            if (!string.Equals(current.DiagnosisId, run.DiagnosisId, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Run '{run.Id}' acts on diagnosis {current.DiagnosisId}; an update cannot move it to {run.DiagnosisId}.", nameof(run));
            }

            throw new ConcurrencyConflictException(
                $"Run {run.Id} is at version {current.Version} ({current.Step}), not {run.Version - 1}: it changed since it was read; read it again and retry.");
        }

        await c.ExecuteAsync(Command("delete from {health}.run_nodes where run_id = @id", new { id = run.Id }, tx, cancellationToken));
        await InsertNodesAsync(c, tx, run.Id, nodes, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return run;
    }

    public async Task<RemediationRun?> GetRunAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var c = await database.OpenAsync(cancellationToken);
        return await ReadRunAsync(c, null, id, cancellationToken);
    }

    public async Task<IReadOnlyList<RemediationRun>> ListActiveRunsAsync(CancellationToken cancellationToken)
    {
        await using var c = await database.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<DocumentRow>(Command(
            "select " + RunColumns + " from {health}.runs where finished = @finished order by id", new { finished = false }, null, cancellationToken));
        return [.. rows.Select(r => HealthJson.Read<RemediationRun>(r.Document, r.Id))];
    }

    public async Task<Page<RemediationRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        int limit = Keyset.ClampLimit(query.Limit);
        string? after = Keyset.After(query.Cursor, nameof(query));
        var sql = new StringBuilder("select " + RunColumns + " from {health}.runs where 1 = 1");
        var parameters = new DynamicParameters();
        Filter(sql, parameters, "id <", "after", after);
        Filter(sql, parameters, "id in (select run_id from {health}.run_nodes where node =", "node", query.Node);
        if (query.Node is not null)
        {
            sql.Append(')');
        }

        if (query.Active is { } active)
        {
            sql.Append(" and finished = @finished");
            parameters.Add("finished", !active);
        }

        return await NewestFirstAsync<RemediationRun>(sql, parameters, limit, cancellationToken);
    }

    public async Task<IReadOnlyList<RemediationRun>> ListRunsForNodeAsync(string node, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        await using var c = await database.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<DocumentRow>(Command(
            "select r.id as Id, r.document as Document from {health}.runs r join {health}.run_nodes n on n.run_id = r.id " +
            "where n.node = @node and r.created_at >= @since order by r.id",
            new { node, since = database.ToDb(since) }, null, cancellationToken));
        return [.. rows.Select(r => HealthJson.Read<RemediationRun>(r.Document, r.Id))];
    }

    private async Task<Page<T>> NewestFirstAsync<T>(StringBuilder sql, DynamicParameters parameters, int limit, CancellationToken cancellationToken)
    {
        sql.Append(" order by id desc limit @limit");
        parameters.Add("limit", limit + 1);
        await using var c = await database.OpenAsync(cancellationToken);
        var rows = (await c.QueryAsync<DocumentRow>(Command(sql.ToString(), parameters, null, cancellationToken))).ToList();
        var page = Keyset.ToPage(rows, limit, r => r.Id);
        return new Page<T>([.. page.Items.Select(r => HealthJson.Read<T>(r.Document, r.Id))], page.NextCursor);
    }

    private object RunParameters(RemediationRun run, long expected) => new
    {
        id = run.Id,
        diagnosisId = run.DiagnosisId,
        step = run.Step.ToString(),
        finished = run.IsFinished,
        createdAt = database.ToDb(run.CreatedAt),
        version = run.Version,
        expected,
        document = HealthJson.Write(run),
    };

    private Task InsertNodesAsync(DbConnection c, DbTransaction tx, string runId, IReadOnlyList<string> nodes, CancellationToken cancellationToken) =>
        nodes.Count == 0
            ? Task.CompletedTask
            : c.ExecuteAsync(Command(
                "insert into {health}.run_nodes (run_id, node) values (@runId, @node)",
                nodes.Select(node => new { runId, node }), tx, cancellationToken));

    private async Task<RemediationRun?> ReadRunAsync(DbConnection c, DbTransaction? tx, string id, CancellationToken cancellationToken)
    {
        string? json = await c.QuerySingleOrDefaultAsync<string>(Command(
            "select document from {health}.runs where id = @id", new { id }, tx, cancellationToken));
        return json is null ? null : HealthJson.Read<RemediationRun>(json, id);
    }

    private async Task<RemediationRun?> ReadByDiagnosisAsync(DbConnection c, DbTransaction tx, string diagnosisId, CancellationToken cancellationToken)
    {
        var row = await c.QuerySingleOrDefaultAsync<DocumentRow>(Command(
            "select " + RunColumns + " from {health}.runs where diagnosis_id = @diagnosisId", new { diagnosisId }, tx, cancellationToken));
        return row is null ? null : HealthJson.Read<RemediationRun>(row.Document, row.Id);
    }

    private CommandDefinition Command(string sql, object? parameters, DbTransaction? tx, CancellationToken cancellationToken) =>
        new(database.Dialect.Translate(sql), parameters, tx, cancellationToken: cancellationToken);

    private static void Filter(StringBuilder sql, DynamicParameters parameters, string condition, string name, object? value)
    {
        if (value is not null)
        {
            sql.Append(" and ").Append(condition).Append(" @").Append(name);
            parameters.Add(name, value);
        }
    }
}
