using System.Data.Common;

namespace NeoCloud.Storage.Relational;

/// <summary>One backend's connections, write transactions, dialect and value conversions: what differs between SQLite and PostgreSQL.</summary>
internal abstract class Database : IAsyncDisposable
{
    public abstract StoreBackend Backend { get; }

    public abstract SqlDialect Dialect { get; }

    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a transaction that writes; on SQLite it takes the write lock up front (<c>BEGIN IMMEDIATE</c>).</summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Holds the migration lock on <paramref name="connection"/> until the returned handle is disposed.</summary>
    public abstract Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken);

    public abstract object ToDb(DateTimeOffset at);

    public abstract DateTimeOffset FromDb(object value);

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// Instants are kept to the microsecond, in UTC, on every backend: PostgreSQL's resolution. Stores normalise before
    /// writing so what they return equals what they later read back (and an audit hash covers what is stored).
    /// </summary>
    public static DateTimeOffset Normalize(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);
}
