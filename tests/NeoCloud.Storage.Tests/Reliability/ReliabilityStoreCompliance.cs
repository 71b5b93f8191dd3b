using FsCheck.Xunit;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Store;

namespace NeoCloud.Storage.Tests.Reliability;

/// <summary>What every <see cref="IReliabilityStore"/> must do; run against SQLite, PostgreSQL and <see cref="InMemoryReliabilityStore"/>.</summary>
public abstract class ReliabilityStoreCompliance : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    protected const string Kind = ReliabilityRecordKinds.Incident;

    private IReliabilityStore? _store;
    private int _cases;

    protected IReliabilityStore Store => _store ?? throw new InvalidOperationException("The store is not open yet.");

    /// <summary>Opens a fresh, empty store.</summary>
    protected abstract Task<IReliabilityStore> OpenStoreAsync();

    public async Task InitializeAsync() => _store = await OpenStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static StoredRecord NewRecord(string id, DateTimeOffset createdAt, string status = "open", string label = "sev2", string kind = Kind, string? body = null) =>
        new(kind, id, 1, status, label, createdAt, createdAt, body ?? $$"""{"id":"{{id}}"}""");

    [Fact]
    public async Task A_created_record_reads_back_with_every_field_as_create_returned_it()
    {
        // Ticks below the microsecond and a non-UTC offset: every store keeps UTC microseconds, and says so in what it returns.
        var createdAt = new DateTimeOffset(2026, 11, 23, 11, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var record = NewRecord("INC-0001", createdAt) with { UpdatedAt = createdAt.AddSeconds(3) };

        var created = await Store.CreateAsync(record, default);

        Assert.Equal(record with { CreatedAt = T0.AddTicks(1_234_560), UpdatedAt = T0.AddSeconds(3).AddTicks(1_234_560) }, created);
        Assert.Equal(TimeSpan.Zero, created.CreatedAt.Offset);
        Assert.Equal(created, await Store.GetAsync(Kind, "INC-0001", default));
        Assert.Equal(created, Assert.Single((await Store.ListAsync(new RecordQuery(Kind), default)).Items));
        Assert.Null(await Store.GetAsync(Kind, "INC-0002", default));
        Assert.Null(await Store.GetAsync(ReliabilityRecordKinds.RunbookRun, "INC-0001", default));
    }

    [Fact]
    public async Task Bodies_and_fields_in_any_script_round_trip_unchanged()
    {
        string body = """{"title":"Ошибка на узле 東京-7 🔥","note":"שלום עולם — e\u0301\u200Dx","tab":"\t","quote":"\"'\\"}""";
        var record = NewRecord("INC-😀-東京", T0, status: "ouvert-é", label: "sév1 ✓", body: body);

        await Store.CreateAsync(record, default);

        var read = await Store.GetAsync(Kind, "INC-😀-東京", default);
        Assert.Equal(record, read);
        Assert.Equal(body, read!.Body);
        Assert.Equal([record], (await Store.ListAsync(new RecordQuery(Kind, Status: "ouvert-é", Label: "sév1 ✓"), default)).Items);
        string yaml = "kind: SLO\nmetadata:\n  name: api-availability\n  displayName: \"Disponibilité de l'API ☁\"\n";
        var manifest = NewRecord("slo/api-availability", T0, status: "", label: "SLO", kind: ReliabilityRecordKinds.Manifest, body: yaml);
        await Store.CreateAsync(manifest, default);
        Assert.Equal(yaml, (await Store.GetAsync(ReliabilityRecordKinds.Manifest, manifest.Id, default))!.Body);
    }

    [Fact]
    public async Task Creating_a_record_again_returns_the_first_and_writes_nothing()
    {
        var first = await Store.CreateAsync(NewRecord("INC-0001", T0, body: """{"v":"first"}"""), default);

        var again = await Store.CreateAsync(NewRecord("INC-0001", T0.AddMinutes(5), status: "resolved", body: """{"v":"second"}"""), default);

        Assert.Equal(first, again);
        Assert.Equal(first, await Store.GetAsync(Kind, "INC-0001", default));
        Assert.Single((await Store.ListAsync(new RecordQuery(Kind), default)).Items);
    }

    [Fact]
    public async Task Records_of_different_kinds_with_one_id_are_different_records()
    {
        await Store.CreateAsync(NewRecord("x-1", T0, body: "{\"a\":1}"), default);
        await Store.CreateAsync(NewRecord("x-1", T0, kind: ReliabilityRecordKinds.RunbookRun, body: "{\"a\":2}"), default);

        Assert.Equal("{\"a\":1}", (await Store.GetAsync(Kind, "x-1", default))!.Body);
        Assert.Equal("{\"a\":2}", (await Store.GetAsync(ReliabilityRecordKinds.RunbookRun, "x-1", default))!.Body);
        Assert.Single((await Store.ListAsync(new RecordQuery(ReliabilityRecordKinds.RunbookRun), default)).Items);
        Assert.Empty((await Store.ListAsync(new RecordQuery(ReliabilityRecordKinds.Manifest), default)).Items);
    }

    [Fact]
    public async Task A_record_is_created_at_version_one_only()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateAsync(NewRecord("INC-0001", T0) with { Version = 2 }, default));

        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetAsync(Kind, "INC-0001", default));
    }

    [Fact]
    public async Task Each_update_writes_the_next_version_over_the_one_before()
    {
        var v1 = await Store.CreateAsync(NewRecord("INC-0001", T0), default);

        var v2 = await Store.UpdateAsync(v1 with { Version = 2, Status = "acknowledged", UpdatedAt = T0.AddMinutes(1), Body = "{\"v\":2}" }, default);
        var v3 = await Store.UpdateAsync(v2 with { Version = 3, Status = "resolved", Label = "sev1", UpdatedAt = T0.AddMinutes(9), Body = "{\"v\":3}" }, default);

        Assert.Equal(v3, await Store.GetAsync(Kind, "INC-0001", default));
        Assert.Equal(3, v3.Version);
        Assert.Equal([v3], (await Store.ListAsync(new RecordQuery(Kind, Status: "resolved", Label: "sev1"), default)).Items);
        Assert.Empty((await Store.ListAsync(new RecordQuery(Kind, Status: "open"), default)).Items);
    }

    [Fact]
    public async Task An_update_from_a_stale_version_is_a_conflict_and_changes_nothing()
    {
        var v1 = await Store.CreateAsync(NewRecord("INC-0001", T0), default);
        var v2 = await Store.UpdateAsync(v1 with { Version = 2, Body = "{\"v\":2}" }, default);

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => Store.UpdateAsync(v1 with { Version = 2, Body = "{\"v\":\"stale\"}" }, default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.UpdateAsync(v2 with { Version = 4 }, default));

        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(v2, await Store.GetAsync(Kind, "INC-0001", default));
    }

    [Fact]
    public async Task Updating_a_missing_record_says_it_is_missing()
    {
        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.UpdateAsync(NewRecord("INC-0404", T0) with { Version = 2 }, default));

        Assert.Contains("INC-0404", error.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetAsync(Kind, "INC-0404", default));
    }

    [Fact]
    public async Task An_update_cannot_move_when_a_record_was_created_or_write_version_one()
    {
        var v1 = await Store.CreateAsync(NewRecord("INC-0001", T0), default);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.UpdateAsync(v1 with { Version = 2, CreatedAt = T0.AddDays(-1) }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UpdateAsync(v1, default));

        Assert.Equal(v1, await Store.GetAsync(Kind, "INC-0001", default));
    }

    [Fact]
    public async Task Concurrent_creates_of_one_record_store_one_and_all_return_it()
    {
        var contenders = Enumerable.Range(0, 8).Select(i => NewRecord("INC-0001", T0, body: $"{{\"contender\":{i}}}")).ToList();

        var results = await Task.WhenAll(contenders.Select(r => Task.Run(() => Store.CreateAsync(r, default))));

        var stored = await Store.GetAsync(Kind, "INC-0001", default);
        Assert.NotNull(stored);
        Assert.All(results, r => Assert.Equal(stored, r));
        Assert.Contains(contenders, c => c.Body == stored.Body);
        Assert.Single((await Store.ListAsync(new RecordQuery(Kind), default)).Items);
    }

    [Fact]
    public async Task Of_concurrent_updates_from_one_version_exactly_one_wins()
    {
        var v1 = await Store.CreateAsync(NewRecord("INC-0001", T0), default);
        var contenders = Enumerable.Range(0, 8).Select(i => v1 with { Version = 2, Body = $"{{\"contender\":{i}}}" }).ToList();

        var outcomes = await Task.WhenAll(contenders.Select(c => Task.Run(async () =>
        {
            try
            {
                return await Store.UpdateAsync(c, default);
            }
            catch (ConcurrencyConflictException)
            {
                return null;
            }
        })));

        var winner = Assert.Single(outcomes, o => o is not null);
        Assert.Equal(winner, await Store.GetAsync(Kind, "INC-0001", default));
    }

    [Fact]
    public async Task Listings_page_newest_first_by_creation_then_id_within_the_filters()
    {
        var records = Enumerable.Range(0, 30)
            .Select(i => NewRecord($"INC-{i:D4}", T0.AddMinutes(i / 2), status: i % 3 == 0 ? "resolved" : "open", label: $"sev{1 + (i % 4)}"))
            .ToList();
        foreach (var r in records.OrderBy(_ => Random.Shared.Next()))
        {
            await Store.CreateAsync(r, default);
        }

        await Store.CreateAsync(NewRecord("RUN-1", T0.AddHours(1), kind: ReliabilityRecordKinds.RunbookRun), default);

        // Two records share each minute: the later id comes first.
        Assert.Equal(records.Select(r => r.Id).Reverse(), await AllIdsAsync(new RecordQuery(Kind, Limit: 7)));
        Assert.Equal(
            records.Where(r => r.Status == "open" && r.Label == "sev2" && r.CreatedAt >= T0.AddMinutes(4)).Select(r => r.Id).Reverse(),
            await AllIdsAsync(new RecordQuery(Kind, Status: "open", Label: "sev2", Since: T0.AddMinutes(4), Limit: 1)));
        Assert.Equal(10, (await AllIdsAsync(new RecordQuery(Kind, Status: "resolved", Limit: 3))).Count);
        Assert.Equal(["INC-0029", "INC-0028"], await AllIdsAsync(new RecordQuery(Kind, Since: T0.AddMinutes(14))));
        Assert.Empty((await Store.ListAsync(new RecordQuery(Kind, Label: "sev9"), default)).Items);
        Assert.Empty((await Store.ListAsync(new RecordQuery(Kind, Since: T0.AddDays(1)), default)).Items);
    }

    [Fact]
    public async Task Ids_that_tie_on_creation_order_by_code_point_on_every_backend()
    {
        // U+E000 sorts below U+1F600 by code point (and UTF-8 byte) but above its surrogates by UTF-16 code unit.
        string[] ids = ["a", "a\uE000", "a😀", "a\uFFFD", "b"];
        foreach (string id in ids)
        {
            await Store.CreateAsync(NewRecord(id, T0), default);
        }

        Assert.Equal(["b", "a😀", "a\uFFFD", "a\uE000", "a"], await AllIdsAsync(new RecordQuery(Kind, Limit: 2)));
    }

    [Fact]
    public async Task A_cursor_stays_valid_while_records_are_created_updated_and_deleted()
    {
        var records = Enumerable.Range(0, 10).Select(i => NewRecord($"INC-{i:D4}", T0.AddMinutes(i))).ToList();
        foreach (var r in records)
        {
            await Store.CreateAsync(r, default);
        }

        var first = await Store.ListAsync(new RecordQuery(Kind, Limit: 4), default);
        // Newer records, an update of one already seen and of one not yet seen, and a deletion behind the cursor.
        await Store.CreateAsync(NewRecord("INC-0100", T0.AddHours(1)), default);
        await Store.UpdateAsync(records[9] with { Version = 2, Status = "resolved", UpdatedAt = T0.AddHours(2) }, default);
        await Store.UpdateAsync(records[2] with { Version = 2, Status = "resolved", UpdatedAt = T0.AddHours(2) }, default);
        await Store.DeleteAsync(Kind, "INC-0004", default);
        var rest = await AllIdsAsync(new RecordQuery(Kind, Limit: 4), first.NextCursor);

        Assert.Equal(["INC-0009", "INC-0008", "INC-0007", "INC-0006"], first.Items.Select(r => r.Id));
        Assert.Equal(["INC-0005", "INC-0003", "INC-0002", "INC-0001", "INC-0000"], rest);
    }

    [Fact]
    public async Task A_page_holds_at_most_the_keyset_limit_and_at_least_one_record()
    {
        for (int i = 0; i < 3; i++)
        {
            await Store.CreateAsync(NewRecord($"INC-{i}", T0.AddSeconds(i)), default);
        }

        var page = await Store.ListAsync(new RecordQuery(Kind, Limit: 0), default);

        Assert.Equal("INC-2", Assert.Single(page.Items).Id);
        Assert.NotNull(page.NextCursor);
        Assert.Equal(3, (await Store.ListAsync(new RecordQuery(Kind, Limit: 1_000_000), default)).Items.Count);
    }

    [Fact]
    public async Task A_cursor_the_store_did_not_give_out_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListAsync(new RecordQuery(Kind, Cursor: "not a cursor!"), default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListAsync(new RecordQuery(Kind, Cursor: Cursor.Encode("INC-0001")), default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListAsync(new RecordQuery(Kind, Cursor: Cursor.Encode("0000000000000000001|")), default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListAsync(new RecordQuery(" "), default));
    }

    [Fact]
    public async Task A_deleted_record_is_gone_and_its_id_can_be_used_again()
    {
        await Store.CreateAsync(NewRecord("slo/api", T0, kind: ReliabilityRecordKinds.Manifest, body: "kind: SLO\n"), default);

        Assert.True(await Store.DeleteAsync(ReliabilityRecordKinds.Manifest, "slo/api", default));
        Assert.False(await Store.DeleteAsync(ReliabilityRecordKinds.Manifest, "slo/api", default));

        Assert.Null(await Store.GetAsync(ReliabilityRecordKinds.Manifest, "slo/api", default));
        Assert.Empty((await Store.ListAsync(new RecordQuery(ReliabilityRecordKinds.Manifest), default)).Items);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.UpdateAsync(NewRecord("slo/api", T0, kind: ReliabilityRecordKinds.Manifest) with { Version = 2 }, default));
        var again = await Store.CreateAsync(NewRecord("slo/api", T0.AddDays(1), kind: ReliabilityRecordKinds.Manifest, body: "kind: SLO\n# v2\n"), default);
        Assert.Equal(again, Assert.Single((await Store.ListAsync(new RecordQuery(ReliabilityRecordKinds.Manifest), default)).Items));
    }

    [Theory]
    [InlineData("id", "Id is blank")]
    [InlineData("nul", "NUL character at index 3")]
    [InlineData("surrogate", "lone surrogate")]
    [InlineData("long", "at most 200")]
    [InlineData("time", "before CreatedAt")]
    public async Task A_record_no_store_could_keep_is_refused_with_what_is_wrong_and_nothing_is_stored(string flaw, string expected)
    {
        var good = NewRecord("INC-0001", T0);
        var bad = flaw switch
        {
            "id" => good with { Id = "  " },
            "nul" => good with { Body = "{\"a\0\":1}" },
            "surrogate" => good with { Label = "sev\uD83D" },
            "long" => good with { Status = new string('s', 201) },
            _ => good with { UpdatedAt = T0.AddSeconds(-1) },
        };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateAsync(bad, default));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty((await Store.ListAsync(new RecordQuery(Kind), default)).Items);
        var v1 = await Store.CreateAsync(good, default);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UpdateAsync(bad with { Version = 2 }, default));
        Assert.Equal(v1, await Store.GetAsync(Kind, "INC-0001", default));
    }

    [Fact]
    public async Task An_incident_saved_through_the_repository_reads_back_exactly_and_lists_by_status_and_severity()
    {
        var repository = new IncidentRepository(Store);
        var tracker = new IncidentTracker();
        Alert NodeDown(int node, int minute) => Alert.Firing(
            T0.AddMinutes(minute), ("alertname", "node-down"), ("node", $"n{node}"), ("switch", "sw-1"), ("severity", "page"),
            (IncidentLabels.Tenant, "acmé"), (IncidentLabels.LineOfBusiness, "training"));
        var opened = tracker.Raise([NodeDown(1, 0)], T0.AddMinutes(2).AddTicks(3));
        var v1 = await repository.SaveAsync(opened, 0);
        tracker.Raise([NodeDown(2, 1)], T0.AddMinutes(3).ToOffset(TimeSpan.FromHours(9)));
        tracker.Acknowledge(opened.Id, T0.AddMinutes(4), "zoë", "on it — 🔧");
        var v2 = await repository.SaveAsync(tracker[opened.Id], v1.Version);

        var read = await repository.GetAsync(opened.Id);
        var listed = await repository.ListAsync(IncidentStatus.Acknowledged, IncidentSeverity.Sev2, T0, 10, null);

        Assert.Equal(2, v2.Version);
        Assert.Equal(2, read!.Version);
        // The JSON carries every field, times to the tick with their offsets: equal JSON is an exact restore.
        Assert.Equal(IncidentRecord.Write(tracker[opened.Id]), IncidentRecord.Write(read.Incident));
        Assert.Equal(opened.Id, Assert.Single(listed.Items).Incident.Id);
        Assert.Empty((await repository.ListAsync(IncidentStatus.Open, null, null, 10, null)).Items);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.SaveAsync(tracker[opened.Id].Mitigate(T0.AddMinutes(5), "x"), 1));
    }

    [Property(MaxTest = 15)]
    public async Task Whatever_the_records_and_page_size_walking_the_pages_returns_each_match_once_newest_first(byte count, byte pageSize, int seed)
    {
        // Each case gets a kind of its own, so cases share the store without seeing each other.
        string kind = "prop-" + Interlocked.Increment(ref _cases);
        var random = new Random(seed);
        var records = Enumerable.Range(0, count % 40)
            .Select(i => NewRecord(
                $"r{random.Next(1000):D3}-{i}", T0.AddSeconds(random.Next(20)).AddTicks(random.Next(30)),
                status: random.Next(2) == 0 ? "open" : "resolved", label: $"sev{1 + random.Next(2)}", kind: kind))
            .ToList();
        foreach (var r in records.OrderBy(_ => random.Next()))
        {
            await Store.CreateAsync(r, default);
        }

        string? status = random.Next(3) == 0 ? "open" : null;
        string? label = random.Next(3) == 0 ? "sev1" : null;
        DateTimeOffset? since = random.Next(3) == 0 ? T0.AddSeconds(random.Next(20)) : null;
        var expected = records
            .Select(ReliabilityStoreRules.Normalize)
            .Where(r => (status is null || r.Status == status) && (label is null || r.Label == label) && (since is null || r.CreatedAt >= since))
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .Select(r => r.Id)
            .ToList();

        var seen = await AllIdsAsync(new RecordQuery(kind, status, label, since, Limit: 1 + (pageSize % 9)));

        Assert.Equal(expected, seen);
    }

    private async Task<List<string>> AllIdsAsync(RecordQuery query, string? cursor = null)
    {
        var seen = new List<string>();
        do
        {
            var page = await Store.ListAsync(query with { Cursor = cursor }, default);
            Assert.True(page.Items.Count <= Keyset.ClampLimit(query.Limit));
            Assert.True(page.NextCursor is null || page.Items.Count == Keyset.ClampLimit(query.Limit));
            seen.AddRange(page.Items.Select(r => r.Id));
            if (seen.Count > 10_000)
            {
                throw new InvalidOperationException("Paging does not end: the cursor does not advance.");
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return seen;
    }
}
