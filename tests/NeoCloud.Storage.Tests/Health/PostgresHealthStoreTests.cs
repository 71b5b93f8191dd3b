using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests.Health;

public sealed class PostgresHealthStoreTests : RelationalHealthStoreCompliance
{
    protected override Task<TestBackend> CreateBackendAsync() => PostgresTestBackend.CreateAsync();
}
