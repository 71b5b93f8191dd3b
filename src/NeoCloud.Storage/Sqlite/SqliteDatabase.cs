using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using NeoCloud.Storage.Relational;

namespace NeoCloud.Storage.Sqlite;

/// <summary>
/// The embedded backend: one file under the data directory, in WAL mode (readers never block the writer) with foreign
/// keys on. A connection per operation from Microsoft.Data.Sqlite's pool; writes take the lock up front with
/// <c>BEGIN IMMEDIATE</c> so two writers queue on the busy timeout instead of failing on lock upgrade.
/// </summary>
internal sealed class SqliteDatabase : Database
{
    public const string FileName = "neocloud.db";
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private readonly string _connectionString;

    private SqliteDatabase(string file)
    {
        File = file;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string File { get; }

    public override StoreBackend Backend => StoreBackend.Sqlite;

    public override SqlDialect Dialect => SqlDialect.Sqlite;

    public static async Task<SqliteDatabase> OpenAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var database = new SqliteDatabase(Path.Combine(Path.GetFullPath(dataDirectory), FileName));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // WAL is a property of the file: set once, it stays.
        command.CommandText = "pragma journal_mode = wal";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return database;
    }

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // NORMAL is durable across application crashes in WAL mode; only a power loss may lose the last commits.
        command.CommandText = "pragma synchronous = normal; pragma busy_timeout = 30000;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    // The first write transaction of a runner takes SQLite's write lock; nothing more is needed.
    public override Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    public override object ToDb(DateTimeOffset at) => Normalize(at).UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public override DateTimeOffset FromDb(object value) => DateTimeOffset.ParseExact(
        (string)value, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public override ValueTask DisposeAsync()
    {
        // Pooled handles keep the file (and its -wal/-shm) open; release them so the directory can be removed.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
