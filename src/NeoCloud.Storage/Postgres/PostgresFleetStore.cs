using System.Data.Common;
using Dapper;
using Npgsql;
using NeoCloud.Storage.Relational;

namespace NeoCloud.Storage.Postgres;

/// <summary>
/// The fleet store on PostgreSQL: an import streams every table with binary COPY inside one transaction, so a fleet of
/// 10k nodes and 80k GPUs is one round of streaming rather than 100k statements. A transaction-scoped advisory lock
/// orders appends to the transition log: an identity value is drawn at insert but becomes visible at commit, so without
/// it a relay could read sequence 11 before 10 commits and never look back.
/// </summary>
internal sealed class PostgresFleetStore(Database database) : RelationalFleetStore(database)
{
    protected override Task LockTransitionLogAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_xact_lock(@key)", new { key = PostgresDatabase.TransitionLogLockKey }, transaction, cancellationToken: cancellationToken));

    protected override async Task WriteRowsAsync(DbConnection connection, DbTransaction transaction, ImportTable table, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        await using var writer = await npgsql.BeginBinaryImportAsync(
            $"copy {table.Table} ({string.Join(", ", table.Columns)}) from stdin (format binary)", cancellationToken);
        foreach (object[] row in table.Rows)
        {
            await writer.WriteRowAsync(cancellationToken, row);
        }

        await writer.CompleteAsync(cancellationToken);
    }
}
