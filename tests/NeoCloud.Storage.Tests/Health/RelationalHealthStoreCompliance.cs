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
