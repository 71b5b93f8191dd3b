using System.Data.Common;
using System.Globalization;
using Dapper;
using NeoCloud.Access.Audit;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Audit;

namespace NeoCloud.Storage.Relational;

/// <summary>
/// The hash-chained audit log over SQL. An append reads the chain head and inserts the next sealed record in one
/// transaction that holds the chain lock, so concurrent appends queue and the chain never forks. An entry with a source id
/// looks for that id under the same lock and returns the record already there, so a source is recorded once (the unique
/// index on <c>source_id</c> backs this up).
/// </summary>
internal abstract class RelationalAuditStore(Database database) : IAuditStore
{
    protected Database Database { get; } = database;

    /// <summary>Serialises appenders for the rest of <paramref name="transaction"/>.</summary>
    protected abstract Task LockChainAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        // Seal what will be stored, so the hash verifies when the record is read back at the database's resolution.
        var stored = entry with { At = Database.Normalize(entry.At) };
        await using var c = await Database.OpenAsync(cancellationToken);
        await using var tx = await Database.BeginWriteAsync(c, cancellationToken);
        await LockChainAsync(c, tx, cancellationToken);
        if (entry.SourceId is not null)
        {
            var existing = await c.QueryFirstOrDefaultAsync<AuditRow>(Command(
                "select " + AuditRow.Columns + " from {access}.audit_log where source_id = @sourceId", new { sourceId = entry.SourceId }, tx, cancellationToken));
            if (existing is not null)
            {
                await tx.CommitAsync(cancellationToken);
                return ToRecord(existing);
            }
        }

        AuditSource.TryParse(entry.SourceId, out string stream, out long sourceSequence);
        var head = await c.QueryFirstOrDefaultAsync<ChainHead>(Command(
            "select sequence as Sequence, hash as Hash from {access}.audit_log order by sequence desc limit 1", null, tx, cancellationToken));
        var record = AuditChain.Seal((head?.Sequence ?? 0) + 1, stored, head?.Hash ?? AuditChain.Genesis);
        await c.ExecuteAsync(Command(
            "insert into {access}.audit_log (sequence, at, actor, action, target, reason, before_value, after_value, previous_hash, hash, " +
            "source_id, source_stream, source_seq) " +
            "values (@sequence, @at, @actor, @action, @target, @reason, @before, @after, @previousHash, @hash, @sourceId, @sourceStream, @sourceSeq)",
            new
            {
                sequence = record.Sequence,
                at = Database.ToDb(record.At),
                actor = record.Actor.ToString(),
                action = record.Action,
                target = record.Target,
                reason = record.Reason,
                before = record.Before,
                after = record.After,
                previousHash = record.PreviousHash,
                hash = record.Hash,
                sourceId = record.SourceId,
                sourceStream = record.SourceId is null || stream.Length == 0 ? null : stream,
                sourceSeq = record.SourceId is null || stream.Length == 0 ? (long?)null : sourceSequence,
            },
            tx, cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return record;
    }

    public async Task<Page<AuditRecord>> ListAsync(string? target, int limit, string? cursor, CancellationToken cancellationToken)
    {
        limit = Keyset.ClampLimit(limit);
        string? after = Keyset.After(cursor, nameof(cursor));
        long afterSequence = 0;
        if (after is not null && !long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out afterSequence))
        {
            throw new ArgumentException($"'{cursor}' is not a cursor of the audit log; pass the NextCursor of the previous page.", nameof(cursor));
        }

        await using var c = await Database.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<AuditRow>(Command(
            "select " + AuditRow.Columns + " from {access}.audit_log where sequence > @after" + (target is null ? "" : " and target = @target") + " order by sequence limit @limit",
            new { after = afterSequence, target, limit = limit + 1 }, null, cancellationToken));
        var records = rows.Select(ToRecord).ToList();
        return Keyset.ToPage(records, limit, r => r.Sequence.ToString(CultureInfo.InvariantCulture));
    }

    public async Task<long> LastSourceSequenceAsync(string stream, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stream);
        await using var c = await Database.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<long?>(Command(
            "select max(source_seq) from {access}.audit_log where source_stream = @stream", new { stream }, null, cancellationToken)) ?? 0;
    }

    protected CommandDefinition Command(string sql, object? parameters, DbTransaction? tx, CancellationToken cancellationToken) =>
        new(Database.Dialect.Translate(sql), parameters, tx, cancellationToken: cancellationToken);

    private AuditRecord ToRecord(AuditRow r) => new(
        r.Sequence, Database.FromDb(r.At), Actor.Parse(r.Actor), r.Action, r.Target, r.Reason, r.Before, r.After, r.PreviousHash, r.Hash, r.SourceId);

    private sealed class ChainHead
    {
        public long Sequence { get; set; }
        public string Hash { get; set; } = "";
    }

    private sealed class AuditRow
    {
        public const string Columns =
            "sequence as Sequence, at as At, actor as Actor, action as Action, target as Target, reason as Reason, " +
            "before_value as Before, after_value as After, previous_hash as PreviousHash, hash as Hash, source_id as SourceId";

        public long Sequence { get; set; }
        public object At { get; set; } = "";
        public string Actor { get; set; } = "";
        public string Action { get; set; } = "";
        public string Target { get; set; } = "";
        public string Reason { get; set; } = "";
        public string? Before { get; set; }
        public string? After { get; set; }
        public string PreviousHash { get; set; } = "";
        public string Hash { get; set; } = "";
        public string? SourceId { get; set; }
    }
}
