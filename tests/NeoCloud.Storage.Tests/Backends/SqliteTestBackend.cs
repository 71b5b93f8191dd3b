using Microsoft.Data.Sqlite;
using NeoCloud.Storage.Relational;
using NeoCloud.Storage.Sqlite;

namespace NeoCloud.Storage.Tests.Backends;

/// <summary>A SQLite data directory under the temp folder, deleted afterwards.</summary>
public sealed class SqliteTestBackend : TestBackend
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "neocloud-storage-tests", Guid.NewGuid().ToString("N"));

    private string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(_directory, SqliteDatabase.FileName),
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();

    public override Task<NeoCloudStores> OpenAsync() => StoreFactory.OpenAsync(_directory, CancellationToken.None);

    public override async Task<long> ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = SqlDialect.Sqlite.Translate(sql);
        return await command.ExecuteNonQueryAsync();
    }

    public override async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = SqlDialect.Sqlite.Translate(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
