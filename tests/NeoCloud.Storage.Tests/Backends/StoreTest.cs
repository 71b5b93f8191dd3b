namespace NeoCloud.Storage.Tests.Backends;

/// <summary>A test on freshly opened stores of one backend; subclasses name the backend and nothing else.</summary>
public abstract class StoreTest : IAsyncLifetime
{
    private TestBackend? _backend;
    private NeoCloudStores? _stores;

    protected TestBackend Backend => _backend ?? throw new InvalidOperationException("The backend is not created yet.");

    protected NeoCloudStores Stores => _stores ?? throw new InvalidOperationException("The stores are not open yet.");

    /// <summary>Creates a fresh, empty database of the backend under test.</summary>
    protected abstract Task<TestBackend> CreateBackendAsync();

    /// <summary>Whether the stores are opened before each test; migration tests open them themselves.</summary>
    protected virtual bool OpenOnStart => true;

    public async Task InitializeAsync()
    {
        _backend = await CreateBackendAsync();
        if (OpenOnStart)
        {
            _stores = await _backend.OpenAsync();
        }
    }

    public async Task DisposeAsync()
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
