using System.Data.Common;
using Dapper;
using NeoCloud.Storage.Relational;

namespace NeoCloud.Storage.Postgres;

/// <summary>
/// The audit log on PostgreSQL: a transaction-scoped advisory lock serialises appenders. Under READ COMMITTED the head is
/// read by a statement that starts after the lock is granted, so it sees the previous appender's committed record.
/// </summary>
internal sealed class PostgresAuditStore(Database database) : RelationalAuditStore(database)
{
    protected override Task LockChainAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_xact_lock(@key)", new { key = PostgresDatabase.AuditChainLockKey }, transaction, cancellationToken: cancellationToken));
}
