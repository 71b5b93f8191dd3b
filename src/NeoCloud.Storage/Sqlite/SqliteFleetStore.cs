using System.Data.Common;
using NeoCloud.Storage.Relational;

namespace NeoCloud.Storage.Sqlite;

/// <summary>The fleet store on SQLite: an import is one <c>BEGIN IMMEDIATE</c> transaction of prepared, reused INSERTs.</summary>
internal sealed class SqliteFleetStore(Database database) : RelationalFleetStore(database)
{
    // BEGIN IMMEDIATE already holds the database's single write lock: transitions commit in sequence order.
    protected override Task LockTransitionLogAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    protected override async Task WriteRowsAsync(DbConnection connection, DbTransaction transaction, ImportTable table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"insert into {table.Table} ({string.Join(", ", table.Columns)}) values ({string.Join(", ", table.Columns.Select((_, i) => $"@p{i}"))})";
        var parameters = new DbParameter[table.Columns.Count];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = $"@p{i}";
            command.Parameters.Add(parameters[i]);
        }

        foreach (object[] row in table.Rows)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = row[i];
            }

            // Prepared once (on the first execution), reused for every row.
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
