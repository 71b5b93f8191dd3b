using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests;

public sealed class SqliteAuditStoreTests : AuditStoreCompliance
{
    protected override Task<TestBackend> CreateBackendAsync() => Task.FromResult<TestBackend>(new SqliteTestBackend());
}
