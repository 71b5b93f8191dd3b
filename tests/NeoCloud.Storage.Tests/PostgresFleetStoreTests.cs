using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests;

public sealed class PostgresFleetStoreTests : FleetStoreCompliance
{
    protected override Task<TestBackend> CreateBackendAsync() => PostgresTestBackend.CreateAsync();
}
