using System.Data.Common;
using System.Text;
using Dapper;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Storage.Relational;

/// <summary>
/// The Reliability store over SQL, written once with <c>{reliability}.</c> placeholders: one table keyed (kind, id).
/// Each call is one statement in one transaction, so a crash mid-write leaves the old record or the new one, never half.
/// A create is "insert … on conflict do nothing" and then a read of the winner: SQLite's <c>BEGIN IMMEDIATE</c> queues
/// concurrent creates, and PostgreSQL makes a concurrent create wait on the primary key and then insert nothing. An
/// update is guarded on the version, so of two concurrent updates of one version exactly one touches the row.
/// </summary>
internal sealed class RelationalReliabilityStore(Database database) : IReliabilityStore
{
    public async Task<StoredRecord> CreateAsync(StoredRecord record, CancellationToken cancellationToken)
    {
        ReliabilityStoreRules.CheckCreate(record, nameof(record));
        var stored = ReliabilityStoreRules.Normalize(record);
        await using var c = await database.OpenAsync(cancellationToken);
        await using var tx = await database.BeginWriteAsync(c, cancellationToken);
        int inserted = await c.ExecuteAsync(Command(
            "insert into {reliability}.records (kind, id, version, status, label, created_at, updated_at, body) " +
            "values (@kind, @id, @version, @status, @label, @createdAt, @updatedAt, @body) on conflict do nothing",
            Parameters(stored, expected: 0), tx, cancellationToken));
        if (inserted == 0)
        {
            // Created before (a retry) or by a concurrent create that committed first: the first one stands.
            return await ReadAsync(c, tx, record.Kind, record.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Record {record.Kind} '{record.Id}' was neither inserted nor found.");
        }

        await tx.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<StoredRecord> UpdateAsync(StoredRecord record, CancellationToken cancellationToken)
    {
        ReliabilityStoreRules.CheckUpdate(record, nameof(record));
        var stored = ReliabilityStoreRules.Normalize(record);
        await using var c = await database.OpenAsync(cancellationToken);
        await using var tx = await database.BeginWriteAsync(c, cancellationToken);

        // Guarded on the version: on PostgreSQL a concurrent update that committed since makes this one touch no row.
        int updated = await c.ExecuteAsync(Command(
            "update {reliability}.records set version = @version, status = @status, label = @label, updated_at = @updatedAt, body = @body " +
            "where kind = @kind and id = @id and version = @expected and created_at = @createdAt",
            Parameters(stored, record.Version - 1), tx, cancellationToken));
        if (updated == 0)
        {
            var current = await ReadAsync(c, tx, record.Kind, record.Id, cancellationToken)
                ?? throw new KeyNotFoundException($"No {record.Kind} record '{record.Id}'.");
            if (current.CreatedAt != stored.CreatedAt)
            {
                throw new ArgumentException(
                    $"Record {record.Kind} '{record.Id}' was created at {current.CreatedAt:O}; an update cannot move it to {stored.CreatedAt:O}.",
                    nameof(record));
            }

            throw new ConcurrencyConflictException(
                $"Record {record.Kind} '{record.Id}' is at version {current.Version}, not {record.Version - 1}: it changed since it was read; read it again and retry.");
        }

        await tx.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<StoredRecord?> GetAsync(string kind, string id, CancellationToken cancellationToken)
    {
        ReliabilityStoreRules.CheckKey(kind, id);
        await using var c = await database.OpenAsync(cancellationToken);
        return await ReadAsync(c, null, kind, id, cancellationToken);
    }

    public async Task<Page<StoredRecord>> ListAsync(RecordQuery query, CancellationToken cancellationToken)
    {
        ReliabilityStoreRules.CheckQuery(query, nameof(query));
        int limit = Keyset.ClampLimit(query.Limit);
        var after = ReliabilityStoreRules.After(query.Cursor, nameof(query));
        var sql = new StringBuilder("select " + RecordRow.Columns + " from {reliability}.records where kind = @kind");
        var parameters = new DynamicParameters();
        parameters.Add("kind", query.Kind);
        if (query.Status is not null)
        {
            sql.Append(" and status = @status");
            parameters.Add("status", query.Status);
        }

        if (query.Label is not null)
        {
            sql.Append(" and label = @label");
            parameters.Add("label", query.Label);
        }

        if (query.Since is { } since)
        {
            sql.Append(" and created_at >= @since");
            parameters.Add("since", database.ToDb(since));
        }

        if (after is { } a)
        {
            // A row-value comparison, so both planners seek the (…, created_at, id) index to the cursor instead of
            // scanning from the newest record on every page.
            sql.Append(" and (created_at, id) < (@afterAt, @afterId)");
            parameters.Add("afterAt", database.ToDb(a.CreatedAt));
            parameters.Add("afterId", a.Id);
        }

        sql.Append(" order by created_at desc, id desc limit @limit");
        parameters.Add("limit", limit + 1);
        await using var c = await database.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<RecordRow>(Command(sql.ToString(), parameters, null, cancellationToken));
        return ReliabilityStoreRules.ToPage([.. rows.Select(r => r.ToRecord(database))], limit);
    }

    public async Task<bool> DeleteAsync(string kind, string id, CancellationToken cancellationToken)
    {
        ReliabilityStoreRules.CheckKey(kind, id);
        await using var c = await database.OpenAsync(cancellationToken);
        await using var tx = await database.BeginWriteAsync(c, cancellationToken);
        int deleted = await c.ExecuteAsync(Command(
            "delete from {reliability}.records where kind = @kind and id = @id", new { kind, id }, tx, cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    private object Parameters(StoredRecord record, long expected) => new
    {
        kind = record.Kind,
        id = record.Id,
        version = record.Version,
        expected,
        status = record.Status,
        label = record.Label,
        createdAt = database.ToDb(record.CreatedAt),
        updatedAt = database.ToDb(record.UpdatedAt),
        body = record.Body,
    };

    private async Task<StoredRecord?> ReadAsync(DbConnection c, DbTransaction? tx, string kind, string id, CancellationToken cancellationToken)
    {
        var row = await c.QuerySingleOrDefaultAsync<RecordRow>(Command(
            "select " + RecordRow.Columns + " from {reliability}.records where kind = @kind and id = @id", new { kind, id }, tx, cancellationToken));
        return row?.ToRecord(database);
    }

    private CommandDefinition Command(string sql, object? parameters, DbTransaction? tx, CancellationToken cancellationToken) =>
        new(database.Dialect.Translate(sql), parameters, tx, cancellationToken: cancellationToken);
}
