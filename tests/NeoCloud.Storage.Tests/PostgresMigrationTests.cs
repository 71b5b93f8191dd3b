using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests;

public sealed class PostgresMigrationTests : MigrationCompliance
{
    protected override Task<TestBackend> CreateBackendAsync() => PostgresTestBackend.CreateAsync();
}
