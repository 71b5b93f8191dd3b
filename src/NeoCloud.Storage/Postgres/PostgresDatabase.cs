using System.Data.Common;
using Npgsql;
using NeoCloud.Storage.Relational;

namespace NeoCloud.Storage.Postgres;

/// <summary>The production backend: an Npgsql data source (its own pool) and real schemas per context.</summary>
internal sealed class PostgresDatabase(string connectionString) : Database
{
    // Advisory lock keys: arbitrary constants, unique within NeoCloud ("NeoCloud" in ASCII, plus a small tag).
    public const long MigrationLockKey = 0x4E656F436C6F7501;
    public const long AuditChainLockKey = 0x4E656F436C6F7502;
    public const long TransitionLogLockKey = 0x4E656F436C6F7503;
    public const long JobEventLogLockKey = 0x4E656F436C6F7504;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public override StoreBackend Backend => StoreBackend.Postgres;

    public override SqlDialect Dialect => SqlDialect.Postgres;

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(cancellationToken);

    public override async Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // A session lock, held across the per-migration transactions, so a second process waits and then finds nothing to do.
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"select pg_advisory_lock({MigrationLockKey})";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new SessionLock(connection, MigrationLockKey);
    }

    public override object ToDb(DateTimeOffset at) => Normalize(at).UtcDateTime;

    public override DateTimeOffset FromDb(object value) => value switch
    {
        DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
        DateTimeOffset at => at.ToUniversalTime(),
        _ => throw new InvalidCastException($"Expected a timestamptz, got {value.GetType().Name}."),
    };

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private sealed class SessionLock(DbConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"select pg_advisory_unlock({key})";
            await command.ExecuteNonQueryAsync();
        }
    }
}
