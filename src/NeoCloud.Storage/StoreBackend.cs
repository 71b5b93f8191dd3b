namespace NeoCloud.Storage;

/// <summary>Which database holds the state of record.</summary>
public enum StoreBackend
{
    /// <summary>An embedded SQLite file under a data directory: the out-of-the-box default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: production.</summary>
    Postgres,
}
