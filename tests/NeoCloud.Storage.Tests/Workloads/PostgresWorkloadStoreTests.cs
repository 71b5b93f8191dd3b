using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests.Workloads;

public sealed class PostgresWorkloadStoreTests : RelationalWorkloadStoreCompliance
{
    protected override Task<TestBackend> CreateBackendAsync() => PostgresTestBackend.CreateAsync();

    protected override Task BreakEventLogAsync() => Backend.ExecuteAsync("""
        create function {workloads}.broken() returns trigger language plpgsql as $$
        begin raise exception 'the event log is broken by the test'; end $$;
        create trigger broken before insert on {workloads}.events for each row execute function {workloads}.broken();
        """);
}
