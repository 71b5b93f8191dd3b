using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests.Health;

public sealed class SqliteHealthStoreTests : RelationalHealthStoreCompliance
{
    protected override Task<TestBackend> CreateBackendAsync() => Task.FromResult<TestBackend>(new SqliteTestBackend());

    protected override Task RefuseFindingsOfCodeAsync(string code) => Backend.ExecuteAsync(
        $"create trigger health_findings_refused before insert on {{health}}.findings when new.code = '{code}' " +
        "begin select raise(abort, 'the finding is refused by the test'); end");
}
