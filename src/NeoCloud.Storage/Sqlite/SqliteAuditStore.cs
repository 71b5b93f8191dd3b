using System.Data.Common;
using NeoCloud.Storage.Relational;

namespace NeoCloud.Storage.Sqlite;

/// <summary>The audit log on SQLite: the append's <c>BEGIN IMMEDIATE</c> already holds the database's single write lock.</summary>
internal sealed class SqliteAuditStore(Database database) : RelationalAuditStore(database)
{
    protected override Task LockChainAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
