namespace NeoCloud.Storage.Tests.Backends;

/// <summary>A fresh, empty database of one backend for one test, removed afterwards.</summary>
public abstract class TestBackend : IAsyncDisposable
{
    /// <summary>Opens (and migrates) the stores on this test's database; may be called more than once.</summary>
    public abstract Task<NeoCloudStores> OpenAsync();

    /// <summary>Runs raw SQL with <c>{context}.</c> placeholders behind the stores' back (to tamper, or to look).</summary>
    public abstract Task<long> ExecuteAsync(string sql);

    /// <summary>Reads one number with raw SQL with <c>{context}.</c> placeholders.</summary>
    public abstract Task<long> ScalarAsync(string sql);

    public abstract ValueTask DisposeAsync();
}
