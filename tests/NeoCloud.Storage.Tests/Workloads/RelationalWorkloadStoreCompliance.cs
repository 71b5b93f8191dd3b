using NeoCloud.Storage.Tests.Backends;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Storage.Tests.Workloads;

/// <summary>The workload compliance suite on a real database opened through <see cref="StoreFactory"/>.</summary>
public abstract class RelationalWorkloadStoreCompliance : WorkloadStoreCompliance
{
    private TestBackend? _backend;
    private NeoCloudStores? _stores;

    protected TestBackend Backend => _backend ?? throw new InvalidOperationException("The backend is not created yet.");

    protected abstract Task<TestBackend> CreateBackendAsync();

    protected override async Task<IWorkloadStore> OpenStoreAsync()
    {
        _backend = await CreateBackendAsync();
        _stores = await _backend.OpenAsync();
        return _stores.Workloads;
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
