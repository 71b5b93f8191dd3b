using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests;

public sealed class SqliteFleetStoreTests : FleetStoreCompliance
{
    protected override Task<TestBackend> CreateBackendAsync() => Task.FromResult<TestBackend>(new SqliteTestBackend());
}
