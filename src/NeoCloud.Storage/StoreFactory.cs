using NeoCloud.Storage.Migrations;
using NeoCloud.Storage.Postgres;
using NeoCloud.Storage.Relational;
using NeoCloud.Storage.Sqlite;

namespace NeoCloud.Storage;

/// <summary>Opens the state of record: connects, brings the schema up to date, and returns the stores.</summary>
public static class StoreFactory
{
    /// <summary>Opens a SQLite data directory or a PostgreSQL connection string (see <see cref="StorageOptions.Parse"/>).</summary>
    public static Task<NeoCloudStores> OpenAsync(string dataDirectoryOrConnectionString, CancellationToken cancellationToken) =>
        OpenAsync(StorageOptions.Parse(dataDirectoryOrConnectionString), cancellationToken);

    public static async Task<NeoCloudStores> OpenAsync(StorageOptions options, CancellationToken cancellationToken)
    {
        Database database = options.Backend switch
        {
            StoreBackend.Sqlite => await SqliteDatabase.OpenAsync(options.Location, cancellationToken),
            StoreBackend.Postgres => new PostgresDatabase(options.Location),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Backend, "Unknown storage backend."),
        };

        try
        {
            var applied = await new MigrationRunner(database, options.Clock).RunAsync(cancellationToken);
            return options.Backend == StoreBackend.Sqlite
                ? new NeoCloudStores(database, new SqliteFleetStore(database), new SqliteAuditStore(database), new SqliteWorkloadStore(database), new RelationalHealthStore(database), new RelationalReliabilityStore(database), applied)
                : new NeoCloudStores(database, new PostgresFleetStore(database), new PostgresAuditStore(database), new PostgresWorkloadStore(database), new RelationalHealthStore(database), new RelationalReliabilityStore(database), applied);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }
}
