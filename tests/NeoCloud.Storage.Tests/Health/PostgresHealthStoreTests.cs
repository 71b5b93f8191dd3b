using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests.Health;

public sealed class PostgresHealthStoreTests : RelationalHealthStoreCompliance
{
    protected override Task<TestBackend> CreateBackendAsync() => PostgresTestBackend.CreateAsync();

    protected override Task RefuseFindingsOfCodeAsync(string code) => Backend.ExecuteAsync($$"""
        create function {health}.refuse() returns trigger language plpgsql as $$
        begin
            if new.code = '{{code}}' then raise exception 'the finding is refused by the test'; end if;
            return new;
        end $$;
        create trigger refused before insert on {health}.findings for each row execute function {health}.refuse();
        """);
}
