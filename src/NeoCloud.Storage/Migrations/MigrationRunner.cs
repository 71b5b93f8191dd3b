using Dapper;
using NeoCloud.Storage.Relational;

namespace NeoCloud.Storage.Migrations;

/// <summary>
/// Brings a database's schema up to date at start-up: applies each migration not yet in <c>schema_migrations</c>, in order,
/// each in its own transaction. Safe to run from several processes at once: a PostgreSQL advisory lock (SQLite: the write
/// lock) serialises runners, and each migration is re-checked inside its transaction.
/// </summary>
internal sealed class MigrationRunner(Database database, TimeProvider clock)
{
    private const string CreateHistory = """
        create table if not exists schema_migrations (
            context text not null,
            version integer not null,
            name text not null,
            applied_at {timestamp} not null,
            primary key (context, version)
        )
        """;

    /// <summary>Applies what is missing; returns the migrations applied by this call.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken) =>
        await RunAsync(MigrationCatalog.All, cancellationToken);

    public async Task<IReadOnlyList<string>> RunAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        var applied = new List<string>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var migrationLock = await database.LockMigrationsAsync(connection, cancellationToken);

        await using (var tx = await database.BeginWriteAsync(connection, cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(dialect.Translate(CreateHistory), transaction: tx, cancellationToken: cancellationToken));
            if (dialect.HasSchemas)
            {
                foreach (string context in migrations.Select(m => m.Context).Distinct())
                {
                    await connection.ExecuteAsync(new CommandDefinition($"create schema if not exists {context}", transaction: tx, cancellationToken: cancellationToken));
                }
            }

            await tx.CommitAsync(cancellationToken);
        }

        foreach (var migration in migrations)
        {
            await using var tx = await database.BeginWriteAsync(connection, cancellationToken);
            bool done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "select count(*) from schema_migrations where context = @context and version = @version",
                new { context = migration.Context, version = migration.Version }, tx, cancellationToken: cancellationToken)) > 0;
            if (done)
            {
                continue;
            }

            try
            {
                await connection.ExecuteAsync(new CommandDefinition(dialect.Translate(migration.Sql), transaction: tx, cancellationToken: cancellationToken));
            }
            catch (System.Data.Common.DbException e)
            {
                throw new InvalidOperationException($"Migration {migration} failed on {database.Backend}: {e.Message}", e);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "insert into schema_migrations (context, version, name, applied_at) values (@context, @version, @name, @appliedAt)",
                new { context = migration.Context, version = migration.Version, name = migration.Name, appliedAt = database.ToDb(clock.GetUtcNow()) },
                tx, cancellationToken: cancellationToken));
            await tx.CommitAsync(cancellationToken);
            applied.Add(migration.ToString());
        }

        return applied;
    }
}
