using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests.Workloads;

public sealed class SqliteWorkloadStoreTests : RelationalWorkloadStoreCompliance
{
    protected override Task<TestBackend> CreateBackendAsync() => Task.FromResult<TestBackend>(new SqliteTestBackend());

    protected override Task BreakEventLogAsync() => Backend.ExecuteAsync(
        "create trigger workloads_events_broken before insert on {workloads}.events begin select raise(abort, 'the event log is broken by the test'); end");
}
