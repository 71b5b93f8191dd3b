using System.Data.Common;
using NeoCloud.Storage.Relational;

namespace NeoCloud.Storage.Sqlite;

/// <summary>The workload store on SQLite.</summary>
internal sealed class SqliteWorkloadStore(Database database) : RelationalWorkloadStore(database)
{
    // BEGIN IMMEDIATE already holds the database's single write lock: events commit in sequence order.
    protected override Task LockEventLogAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
