namespace NeoCloud.Storage;

/// <summary>Where the state of record lives: a SQLite data directory or a PostgreSQL connection string.</summary>
/// <param name="Location">For <see cref="StoreBackend.Sqlite"/> a data directory; for <see cref="StoreBackend.Postgres"/> an Npgsql connection string.</param>
public sealed record StorageOptions(StoreBackend Backend, string Location)
{
    /// <summary>The clock that stamps applied migrations.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public static StorageOptions Sqlite(string dataDirectory) => new(StoreBackend.Sqlite, dataDirectory);

    public static StorageOptions Postgres(string connectionString) => new(StoreBackend.Postgres, connectionString);

    /// <summary>
    /// Reads one setting that is either an Npgsql connection string (<c>Host=...;Username=...</c>) or a data directory.
    /// A text with <c>=</c> in it is taken as a connection string: no sensible data directory has one.
    /// </summary>
    public static StorageOptions Parse(string dataDirectoryOrConnectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectoryOrConnectionString);
        return dataDirectoryOrConnectionString.Contains('=', StringComparison.Ordinal)
            ? Postgres(dataDirectoryOrConnectionString)
            : Sqlite(dataDirectoryOrConnectionString);
    }
}
