using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests.Health;

public sealed class SqliteHealthStoreTests : RelationalHealthStoreCompliance
{
    protected override Task<TestBackend> CreateBackendAsync() => Task.FromResult<TestBackend>(new SqliteTestBackend());
}
