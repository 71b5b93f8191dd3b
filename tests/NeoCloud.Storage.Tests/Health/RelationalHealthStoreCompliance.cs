using System.Data.Common;
using NeoCloud.Health.Store;
using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests.Health;

/// <summary>The Health compliance suite on a real database opened (and migrated) through <see cref="StoreFactory"/>.</summary>
public abstract class RelationalHealthStoreCompliance : HealthStoreCompliance
{
    private TestBackend? _backend;
    private NeoCloudStores? _stores;

    protected TestBackend Backend => _backend ?? throw new InvalidOperationException("The backend is not created yet.");

    protected abstract Task<TestBackend> CreateBackendAsync();

    /// <summary>Makes the database itself refuse (with an error) any finding of <paramref name="code"/> inserted from now on.</summary>
    protected abstract Task RefuseFindingsOfCodeAsync(string code);

    [Fact]
    public async Task A_batch_the_database_refuses_midway_stores_none()
    {
        await RefuseFindingsOfCodeAsync("REFUSED");
        var batch = new[] { NewFinding("n1", "XID-79", T0), NewFinding("n2", "REFUSED", T0.AddSeconds(1)), NewFinding("n3", "XID-79", T0.AddSeconds(2)) };

        await Assert.ThrowsAnyAsync<DbException>(() => Store.AppendFindingsAsync(batch, default));

        Assert.Equal(0, await Backend.ScalarAsync("select count(*) from {health}.findings"));
        await Store.AppendFindingsAsync([batch[0], batch[2]], default);
        Assert.Equal(2, await Backend.ScalarAsync("select count(*) from {health}.findings"));
    }

    [Fact]
    public async Task The_run_nodes_rows_are_the_fenced_nodes_once_each_and_follow_updates()
    {
        var run = await Store.CreateRunAsync(NewRun(T0, nodes: ["n1"], gpus: ["n1/gpu3", "n2/gpu0", "n2/gpu1"]), default);
        string rows = $"select count(*) from {{health}}.run_nodes where run_id = '{run.Id}'";
        Assert.Equal(2, await Backend.ScalarAsync(rows));

        await Store.UpdateRunAsync(run with { Nodes = [], Gpus = ["n4/gpu7"], Version = 2 }, default);

        Assert.Equal(1, await Backend.ScalarAsync(rows));
        Assert.Equal(1, await Backend.ScalarAsync(rows + " and node = 'n4'"));
        Assert.Equal(2, await Backend.ScalarAsync($"select version from {{health}}.runs where id = '{run.Id}'"));
    }

    protected override async Task<IHealthStore> OpenStoreAsync()
    {
        _backend = await CreateBackendAsync();
        _stores = await _backend.OpenAsync();
        return _stores.Health;
    }

    public override async Task DisposeAsync()
    {
        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }

        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }
}
