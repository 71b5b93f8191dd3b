using System.Data.Common;
using NeoCloud.Reliability.Store;
using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests.Reliability;

/// <summary>The Reliability compliance suite on a real database opened (and migrated) through <see cref="StoreFactory"/>.</summary>
public abstract class RelationalReliabilityStoreCompliance : ReliabilityStoreCompliance
{
    private TestBackend? _backend;
    private NeoCloudStores? _stores;

    protected TestBackend Backend => _backend ?? throw new InvalidOperationException("The backend is not created yet.");

    protected abstract Task<TestBackend> CreateBackendAsync();

    /// <summary>
    /// Makes the database itself fail (with an error) any insert or update of a record labelled <paramref name="label"/>
    /// after the row is written and before the transaction commits: a crash in the middle of the write.
    /// </summary>
    protected abstract Task FailWritesLabelledAsync(string label);

    [Fact]
    public async Task A_create_that_fails_midway_leaves_no_record_and_can_be_retried()
    {
        await FailWritesLabelledAsync("crash");

        await Assert.ThrowsAnyAsync<DbException>(() => Store.CreateAsync(NewRecord("INC-0001", T0, label: "crash"), default));

        Assert.Equal(0, await Backend.ScalarAsync("select count(*) from {reliability}.records"));
        Assert.Null(await Store.GetAsync(Kind, "INC-0001", default));
        var created = await Store.CreateAsync(NewRecord("INC-0001", T0), default);
        Assert.Equal(created, await Store.GetAsync(Kind, "INC-0001", default));
    }

    [Fact]
    public async Task An_update_that_fails_midway_leaves_the_version_before_and_can_be_retried()
    {
        var v1 = await Store.CreateAsync(NewRecord("INC-0001", T0), default);
        await FailWritesLabelledAsync("crash");

        await Assert.ThrowsAnyAsync<DbException>(() => Store.UpdateAsync(v1 with { Version = 2, Label = "crash", Body = "{\"v\":2}" }, default));

        Assert.Equal(v1, await Store.GetAsync(Kind, "INC-0001", default));
        Assert.Equal(1, await Backend.ScalarAsync("select version from {reliability}.records where id = 'INC-0001'"));
        var v2 = await Store.UpdateAsync(v1 with { Version = 2, Label = "sev1", Body = "{\"v\":2}" }, default);
        Assert.Equal(v2, await Store.GetAsync(Kind, "INC-0001", default));
    }

    [Fact]
    public async Task Listings_are_served_by_an_index_of_kind_and_creation()
    {
        Assert.Equal(3, await Backend.ScalarAsync(IndexCountSql));
    }

    /// <summary>How many indexes of the records table start with (kind, …, created_at, id): the listing indexes.</summary>
    protected abstract string IndexCountSql { get; }

    protected override async Task<IReliabilityStore> OpenStoreAsync()
    {
        _backend = await CreateBackendAsync();
        _stores = await _backend.OpenAsync();
        return _stores.Reliability;
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
