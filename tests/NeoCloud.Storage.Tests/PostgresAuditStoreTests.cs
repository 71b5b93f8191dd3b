using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests;

public sealed class PostgresAuditStoreTests : AuditStoreCompliance
{
    protected override Task<TestBackend> CreateBackendAsync() => PostgresTestBackend.CreateAsync();
}
