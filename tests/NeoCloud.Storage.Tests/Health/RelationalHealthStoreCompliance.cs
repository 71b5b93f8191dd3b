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
        // Long enough that a store writing in chunks has committed nothing yet has written earlier chunks when it fails.
        var batch = Enumerable.Range(0, 600).Select(i => NewFinding($"n{i % 5}", i == 555 ? "REFUSED" : "XID-79", T0.AddSeconds(i))).ToList();

        await Assert.ThrowsAnyAsync<DbException>(() => Store.AppendFindingsAsync(batch, default));

        Assert.Equal(0, await Backend.ScalarAsync("select count(*) from {health}.findings"));
        await Store.AppendFindingsAsync([.. batch.Where(f => f.Code != "REFUSED")], default);
        Assert.Equal(599, await Backend.ScalarAsync("select count(*) from {health}.findings"));
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
