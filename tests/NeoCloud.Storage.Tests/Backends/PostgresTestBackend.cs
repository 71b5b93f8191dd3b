using Npgsql;
using NeoCloud.Storage.Relational;

namespace NeoCloud.Storage.Tests.Backends;

/// <summary>
/// A database of its own, created on the server <c>NEOCLOUD_TEST_PG</c> names and dropped afterwards. Without that
/// variable the test fails: a PostgreSQL test never skips (STYLE: tests).
/// </summary>
public sealed class PostgresTestBackend : TestBackend
{
    public const string Variable = "NEOCLOUD_TEST_PG";

    private readonly string _admin;
    private readonly string _database;
    private readonly string _connectionString;

    private PostgresTestBackend(string admin, string database)
    {
        _admin = admin;
        _database = database;
        _connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ToString();
    }

    public static async Task<TestBackend> CreateAsync()
    {
        string? admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set, so there is no PostgreSQL to test against. Run ./build.sh test (it starts a throwaway " +
                $"server), or start one yourself: export {Variable}=$(scripts/pg-test.sh start /tmp/pgtest)");
        }

        string database = "neocloud_test_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"create database {database}", connection);
        await command.ExecuteNonQueryAsync();
        return new PostgresTestBackend(admin, database);
    }

    public override Task<NeoCloudStores> OpenAsync() => StoreFactory.OpenAsync(_connectionString, CancellationToken.None);

    public override async Task<long> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(SqlDialect.Postgres.Translate(sql), connection);
        return await command.ExecuteNonQueryAsync();
    }

    public override async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(SqlDialect.Postgres.Translate(sql), connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"drop database if exists {_database} with (force)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
