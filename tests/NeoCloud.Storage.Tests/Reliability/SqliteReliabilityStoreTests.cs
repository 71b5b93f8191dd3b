using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests.Reliability;

public sealed class SqliteReliabilityStoreTests : RelationalReliabilityStoreCompliance
{
    protected override Task<TestBackend> CreateBackendAsync() => Task.FromResult<TestBackend>(new SqliteTestBackend());

    protected override string IndexCountSql =>
        "select count(*) from sqlite_master where type = 'index' and tbl_name = 'reliability_records' and sql like '%(kind, %created_at, id)'";

    // "After" triggers: the row is written, then the statement aborts and its transaction rolls back.
    protected override Task FailWritesLabelledAsync(string label) => Backend.ExecuteAsync(
        $"create trigger reliability_records_crash_insert after insert on {{reliability}}.records when new.label = '{label}' " +
        "begin select raise(abort, 'the write crashed (test)'); end; " +
        $"create trigger reliability_records_crash_update after update on {{reliability}}.records when new.label = '{label}' " +
        "begin select raise(abort, 'the write crashed (test)'); end");
}
