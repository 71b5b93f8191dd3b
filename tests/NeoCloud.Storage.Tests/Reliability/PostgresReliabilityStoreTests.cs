using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests.Reliability;

public sealed class PostgresReliabilityStoreTests : RelationalReliabilityStoreCompliance
{
    protected override Task<TestBackend> CreateBackendAsync() => PostgresTestBackend.CreateAsync();

    protected override string IndexCountSql =>
        "select count(*) from pg_indexes where schemaname = 'reliability' and tablename = 'records' and indexdef like '%(kind, %created_at, id)'";

    // An "after" trigger: the row is written, then the statement fails and its transaction rolls back.
    protected override Task FailWritesLabelledAsync(string label) => Backend.ExecuteAsync($$"""
        create function {reliability}.crash() returns trigger language plpgsql as $$
        begin
            if new.label = '{{label}}' then raise exception 'the write crashed (test)'; end if;
            return new;
        end $$;
        create trigger crash after insert or update on {reliability}.records for each row execute function {reliability}.crash();
        """);
}
