using NeoCloud.Access.Audit;
using NeoCloud.Kernel.Audit;
using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests;

/// <summary>What every <see cref="IAuditStore"/> backend must do; run once per backend.</summary>
public abstract class AuditStoreCompliance : StoreTest
{
    private static readonly DateTimeOffset At = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private IAuditStore Store => Stores.Audit;

    [Fact]
    public async Task Appended_records_chain_from_genesis_and_read_back_equal()
    {
        var appended = new List<AuditRecord>();
        for (int i = 0; i < 3; i++)
        {
            appended.Add(await Store.AppendAsync(Entry(i), default));
        }

        Assert.Equal([1L, 2L, 3L], appended.Select(r => r.Sequence));
        Assert.Equal(AuditChain.Genesis, appended[0].PreviousHash);
        Assert.Equal(appended[0].Hash, appended[1].PreviousHash);
        Assert.Equal(appended[1].Hash, appended[2].PreviousHash);
        var stored = await Store.ListAsync(null, 100, null, default);
        Assert.Equal(appended, stored.Items);
        Assert.Null(stored.NextCursor);
        Assert.Null(AuditChain.FirstBroken(stored.Items));
    }

    [Fact]
    public async Task A_record_keeps_its_instant_and_verifies_whatever_its_offset_and_precision()
    {
        // 100 ns ticks and a non-UTC offset: the store keeps microseconds in UTC and seals what it keeps.
        var entry = Entry(0) with { At = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567), Before = null };

        var record = await Store.AppendAsync(entry, default);

        Assert.Equal(entry.At.UtcTicks / 10, record.At.UtcTicks / 10);
        var stored = Assert.Single((await Store.ListAsync(null, 10, null, default)).Items);
        Assert.Equal(record, stored);
        Assert.Null(stored.Before);
        Assert.Null(AuditChain.FirstBroken([stored]));
    }

    [Fact]
    public async Task Twenty_concurrent_appends_get_sequences_1_to_20_on_one_verifying_chain()
    {
        var appends = Enumerable.Range(0, 20).Select(i => Task.Run(() => Store.AppendAsync(Entry(i), default))).ToList();
        var records = await Task.WhenAll(appends);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), records.Select(r => r.Sequence).Order());
        var stored = (await Store.ListAsync(null, 1000, null, default)).Items;
        Assert.Equal(20, stored.Count);
        Assert.Null(AuditChain.FirstBroken(stored));
        Assert.Null(await new HashChainedAuditTrail(Store).VerifyAsync(default));
    }

    [Fact]
    public async Task Tampering_with_a_stored_reason_is_detected()
    {
        for (int i = 0; i < 5; i++)
        {
            await Store.AppendAsync(Entry(i), default);
        }

        long changed = await Backend.ExecuteAsync("update {access}.audit_log set reason = 'nothing to see here' where sequence = 3");

        Assert.Equal(1, changed);
        Assert.Equal(3, AuditChain.FirstBroken((await Store.ListAsync(null, 100, null, default)).Items));
        Assert.Equal(3, await new HashChainedAuditTrail(Store).VerifyAsync(default));
    }

    [Fact]
    public async Task Records_of_one_target_page_in_sequence_order()
    {
        for (int i = 0; i < 11; i++)
        {
            await Store.AppendAsync(Entry(i) with { Target = i % 2 == 0 ? "node/a" : "node/b" }, default);
        }

        var sequences = new List<long>();
        int pages = 0;
        string? cursor = null;
        do
        {
            var page = await Store.ListAsync("node/a", 2, cursor, default);
            Assert.All(page.Items, r => Assert.Equal("node/a", r.Target));
            sequences.AddRange(page.Items.Select(r => r.Sequence));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal([1L, 3L, 5L, 7L, 9L, 11L], sequences);
        Assert.Equal(3, pages);
        Assert.Empty((await Store.ListAsync("node/none", 10, null, default)).Items);
    }

    [Fact]
    public async Task A_cursor_the_store_did_not_give_out_is_rejected()
    {
        await Store.AppendAsync(Entry(0), default);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListAsync(null, 10, "not a cursor!", default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListAsync(null, 10, Kernel.Cursor.Encode("node-7"), default));
    }

    [Fact]
    public async Task Appending_the_same_source_id_twice_records_one_entry_and_returns_it()
    {
        await Store.AppendAsync(Entry(0), default);
        var first = await Store.AppendAsync(Entry(1) with { SourceId = "fleet.transition:7" }, default);

        var again = await Store.AppendAsync(Entry(2) with { SourceId = "fleet.transition:7" }, default);

        Assert.Equal(first, again);
        Assert.Equal("fleet.transition:7", first.SourceId);
        var stored = (await Store.ListAsync(null, 100, null, default)).Items;
        Assert.Equal(2, stored.Count);
        Assert.Equal(first, stored[1]);
        Assert.Null(AuditChain.FirstBroken(stored));
    }

    [Fact]
    public async Task Ten_concurrent_appends_of_one_source_id_record_one_entry()
    {
        var appends = Enumerable.Range(0, 10)
            .Select(i => Task.Run(() => Store.AppendAsync(Entry(i) with { SourceId = "fleet.transition:1" }, default))).ToList();
        var records = await Task.WhenAll(appends);

        var stored = Assert.Single((await Store.ListAsync(null, 100, null, default)).Items);
        Assert.All(records, r => Assert.Equal(stored, r));
        Assert.Null(await new HashChainedAuditTrail(Store).VerifyAsync(default));
    }

    [Fact]
    public async Task The_source_id_is_covered_by_the_hash()
    {
        var record = await Store.AppendAsync(Entry(0) with { SourceId = "fleet.transition:1" }, default);

        Assert.Equal(1, AuditChain.FirstBroken([record with { SourceId = "fleet.transition:2" }]));
        Assert.Equal(1, AuditChain.FirstBroken([record with { SourceId = null }]));
    }

    [Fact]
    public async Task The_last_source_sequence_is_the_highest_of_its_stream_only()
    {
        Assert.Equal(0, await Store.LastSourceSequenceAsync("fleet.transition", default));
        await Store.AppendAsync(Entry(0), default);
        await Store.AppendAsync(Entry(1) with { SourceId = "fleet.transition:9" }, default);
        await Store.AppendAsync(Entry(2) with { SourceId = "fleet.transition:12" }, default);
        await Store.AppendAsync(Entry(3) with { SourceId = "fleet.transition:10" }, default);
        await Store.AppendAsync(Entry(4) with { SourceId = "jobs.event:99" }, default);
        await Store.AppendAsync(Entry(5) with { SourceId = "fleet.transition.extra:100" }, default);

        Assert.Equal(12, await Store.LastSourceSequenceAsync("fleet.transition", default));
        Assert.Equal(99, await Store.LastSourceSequenceAsync("jobs.event", default));
        Assert.Equal(0, await Store.LastSourceSequenceAsync("nothing", default));
    }

    private static AuditEntry Entry(int i) => new(
        At.AddSeconds(i), Actor.Person("ana"), "node.cordon", $"node/euw1-dc1-r01-n{i:00}", $"reason {i}", "{\"state\":\"Available\"}", "{\"state\":\"Cordoned\"}");
}
