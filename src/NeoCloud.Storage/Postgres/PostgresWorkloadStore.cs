using System.Data.Common;
using Dapper;
using NeoCloud.Storage.Relational;

namespace NeoCloud.Storage.Postgres;

/// <summary>
/// The workload store on PostgreSQL. A transaction-scoped advisory lock orders appends to the event log: an identity
/// value is drawn at insert but becomes visible at commit, so without it a relay could read sequence 11 before 10 commits.
/// </summary>
internal sealed class PostgresWorkloadStore(Database database) : RelationalWorkloadStore(database)
{
    protected override Task LockEventLogAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_xact_lock(@key)", new { key = PostgresDatabase.JobEventLogLockKey }, transaction, cancellationToken: cancellationToken));
}
