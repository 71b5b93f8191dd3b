using System.Buffers.Binary;
using FsCheck.Xunit;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;

namespace NeoCloud.Storage.Tests.Health;

/// <summary>What every <see cref="IHealthStore"/> must do; run against SQLite, PostgreSQL and <see cref="InMemoryHealthStore"/>.</summary>
public abstract class HealthStoreCompliance : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private IHealthStore? _store;
    private int _ids;

    protected IHealthStore Store => _store ?? throw new InvalidOperationException("The store is not open yet.");

    /// <summary>Opens a fresh, empty store.</summary>
    protected abstract Task<IHealthStore> OpenStoreAsync();

    public async Task InitializeAsync() => _store = await OpenStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_finding_reads_back_with_every_field_and_its_evidence()
    {
        var finding = NewFinding("n1", "XID-79", T0.AddSeconds(7)) with
        {
            Evidence =
            [
                new Evidence(T0.AddSeconds(5).AddTicks(1234567), "n1/gpu3", "xid", 79, null),
                new Evidence(T0.AddSeconds(6), "n1/gpu3", "ecc.dbe", double.NaN, 1.5),
                new Evidence(T0.AddSeconds(6), "n1/gpu3", "temp", double.PositiveInfinity, 87.25),
            ],
        };

        await Store.AppendFindingsAsync([finding], default);

        var page = await Store.ListFindingsAsync(new FindingQuery(), default);
        HealthAssert.Same(finding, Assert.Single(page.Items));
        Assert.Null(page.NextCursor);
        Assert.Equal("n1", page.Items[0].Node);
        Assert.Equal(42, page.Items[0].Work);
    }

    [Fact]
    public async Task Appending_findings_again_stores_each_once_and_keeps_the_first()
    {
        var a = NewFinding("n1", "XID-79", T0);
        var b = NewFinding("n2", "ECC-DBE", T0.AddSeconds(1));
        await Store.AppendFindingsAsync([a, b, a], default);

        await Store.AppendFindingsAsync([b with { Summary = "rewritten" }, a], default);

        var items = (await Store.ListFindingsAsync(new FindingQuery(), default)).Items;
        Assert.Equal([b.Id, a.Id], items.Select(f => f.Id));
        HealthAssert.Same(b, items[0]);
    }

    [Fact]
    public async Task A_batch_with_one_bad_finding_stores_none_and_says_which()
    {
        var good = NewFinding("n1", "XID-79", T0);
        var bad = NewFinding("n2", "XID-48", T0.AddSeconds(1)) with { Code = null! };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendFindingsAsync([good, bad], default));

        Assert.Contains(bad.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("Code", error.Message, StringComparison.Ordinal);
        Assert.Empty((await Store.ListFindingsAsync(new FindingQuery(), default)).Items);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendFindingsAsync([good, bad with { Code = "XID-48", Evidence = null! }], default));
        Assert.Empty((await Store.ListFindingsAsync(new FindingQuery(), default)).Items);
    }

    [Fact]
    public async Task Paging_findings_covers_every_finding_once_newest_first()
    {
        var findings = Enumerable.Range(0, 25).Select(i => NewFinding($"n{i % 4}", "XID-79", T0.AddSeconds(i))).ToList();
        await Store.AppendFindingsAsync([.. findings.OrderBy(_ => Random.Shared.Next())], default);

        var seen = await AllFindingsAsync(new FindingQuery(Limit: 7));

        Assert.Equal(findings.Select(f => f.Id).Reverse(), seen);
    }

    [Fact]
    public async Task A_page_holds_at_most_a_thousand_findings_whatever_is_asked()
    {
        var findings = Enumerable.Range(0, Keyset.MaxLimit + 1).Select(i => NewFinding("n1", "XID-79", T0.AddMilliseconds(i))).ToList();
        await Store.AppendFindingsAsync(findings, default);

        var first = await Store.ListFindingsAsync(new FindingQuery(Limit: 100_000), default);
        var second = await Store.ListFindingsAsync(new FindingQuery(Limit: 100_000, Cursor: first.NextCursor), default);

        Assert.Equal(Keyset.MaxLimit, first.Items.Count);
        Assert.Equal(findings[0].Id, Assert.Single(second.Items).Id);
        Assert.Null(second.NextCursor);
        Assert.Single((await Store.ListFindingsAsync(new FindingQuery(Limit: 0), default)).Items);
    }

    [Fact]
    public async Task Findings_filter_by_node_code_and_time_and_page_within_the_filter()
    {
        var findings = Enumerable.Range(0, 30)
            .Select(i => NewFinding($"n{i % 3}", i % 2 == 0 ? "XID-79" : "ECC-DBE", T0.AddMinutes(i)))
            .ToList();
        var switchFinding = NewFinding(null, "IB-LINK-DOWNED", T0.AddMinutes(40)) with { Component = new ComponentRef(ComponentKind.Switch, "leaf-1") };
        await Store.AppendFindingsAsync([.. findings, switchFinding], default);

        var expected = findings
            .Where(f => f.Node == "n1" && f.Code == "XID-79" && f.DetectedAt >= T0.AddMinutes(10))
            .Select(f => f.Id).Reverse().ToList();
        var seen = await AllFindingsAsync(new FindingQuery(Node: "n1", Code: "XID-79", Since: T0.AddMinutes(10), Limit: 2));

        Assert.NotEmpty(expected);
        Assert.Equal(expected, seen);
        Assert.Equal(10, (await AllFindingsAsync(new FindingQuery(Node: "n2"))).Count);
        Assert.Equal(15, (await AllFindingsAsync(new FindingQuery(Code: "ECC-DBE"))).Count);
        Assert.Equal([switchFinding.Id, findings[^1].Id], await AllFindingsAsync(new FindingQuery(Since: T0.AddMinutes(29))));
        Assert.Empty((await Store.ListFindingsAsync(new FindingQuery(Node: "n9"), default)).Items);
    }

    [Fact]
    public async Task A_cursor_the_store_did_not_give_out_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListFindingsAsync(new FindingQuery(Cursor: "not a cursor!"), default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListRunsAsync(new RunQuery(Cursor: "***"), default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListDiagnosesAsync(null, 10, "%%", default));
    }

    [Property(MaxTest = 15)]
    public async Task Whatever_the_findings_and_page_size_paging_returns_each_once_in_id_order_newest_first(byte count, byte pageSize, int seed)
    {
        // Each case gets a code of its own, so cases share the store without seeing each other.
        string code = "PROP-" + Interlocked.Increment(ref _ids);
        var random = new Random(seed);
        var findings = Enumerable.Range(0, count % 40)
            .Select(_ => NewFinding($"n{random.Next(3)}", code, T0.AddSeconds(random.Next(1000))))
            .ToList();
        await Store.AppendFindingsAsync([.. findings.OrderBy(_ => random.Next())], default);

        var seen = await AllFindingsAsync(new FindingQuery(Code: code, Limit: 1 + (pageSize % 9)));

        Assert.Equal(findings.Select(f => f.Id).Order(StringComparer.Ordinal).Reverse(), seen);
    }

    [Fact]
    public async Task A_diagnosis_reads_back_with_its_findings_and_is_stored_once()
    {
        var diagnosis = NewDiagnosis(T0, ["n1", "n2"], ["n1/gpu0"]);

        await Store.AppendDiagnosisAsync(diagnosis, default);
        await Store.AppendDiagnosisAsync(diagnosis with { Reasoning = "rewritten", Work = 9 }, default);

        HealthAssert.Same(diagnosis, (await Store.GetDiagnosisAsync(diagnosis.Id, default))!);
        HealthAssert.Same(diagnosis, Assert.Single((await Store.ListDiagnosesAsync(null, 10, null, default)).Items));
        Assert.Null(await Store.GetDiagnosisAsync("dgn-missing", default));
    }

    [Fact]
    public async Task Diagnoses_list_newest_first_since_a_time_page_by_page()
    {
        var diagnoses = Enumerable.Range(0, 12).Select(i => NewDiagnosis(T0.AddMinutes(i), [$"n{i}"], [])).ToList();
        foreach (var d in diagnoses)
        {
            await Store.AppendDiagnosisAsync(d, default);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Store.ListDiagnosesAsync(T0.AddMinutes(3), 4, cursor, default);
            seen.AddRange(page.Items.Select(d => d.Id));
            cursor = NextOrStop(cursor, page.NextCursor, seen.Count);
        }
        while (cursor is not null);

        Assert.Equal(diagnoses.Skip(3).Select(d => d.Id).Reverse(), seen);
    }

    [Fact]
    public async Task A_bad_diagnosis_is_refused_naming_it()
    {
        var diagnosis = NewDiagnosis(T0, ["n1"], []);
        var badFinding = diagnosis.Findings[0] with { Code = "" };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendDiagnosisAsync(diagnosis with { Findings = [badFinding] }, default));

        Assert.Contains(badFinding.Id, error.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetDiagnosisAsync(diagnosis.Id, default));
    }

    [Fact]
    public async Task A_created_run_reads_back_with_every_field()
    {
        var run = NewRun(T0, nodes: ["n1"], gpus: ["n1/gpu3"]) with { ApprovedBy = "person:alice", FinishedAt = null, GpuHoursLost = 1.25 };

        var created = await Store.CreateRunAsync(run, default);

        HealthAssert.Same(run, created);
        HealthAssert.Same(run, (await Store.GetRunAsync(run.Id, default))!);
        Assert.Null(await Store.GetRunAsync("rem-missing", default));
    }

    [Fact]
    public async Task Creating_a_run_for_a_diagnosis_that_has_one_returns_the_stored_run_and_writes_nothing()
    {
        var first = NewRun(T0, nodes: ["n1"], diagnosis: "dgn-1");
        await Store.CreateRunAsync(first, default);

        var again = await Store.CreateRunAsync(NewRun(T0.AddSeconds(5), nodes: ["n2"], diagnosis: "dgn-1"), default);

        HealthAssert.Same(first, again);
        Assert.Single((await Store.ListRunsAsync(new RunQuery(), default)).Items);
        Assert.Empty(await Store.ListRunsForNodeAsync("n2", T0.AddDays(-1), default));
    }

    [Fact]
    public async Task Eight_concurrent_creates_for_one_diagnosis_make_one_run()
    {
        var attempts = Enumerable.Range(0, 8).Select(i => NewRun(T0.AddMilliseconds(i), nodes: [$"n{i}"], diagnosis: "dgn-race")).ToList();

        var results = await Task.WhenAll(attempts.Select(r => Task.Run(() => Store.CreateRunAsync(r, default))));

        var stored = Assert.Single((await Store.ListRunsAsync(new RunQuery(), default)).Items);
        Assert.All(results, r => HealthAssert.Same(stored, r));
        Assert.Single(attempts, a => a.Id == stored.Id);
        int fenced = 0;
        for (int i = 0; i < 8; i++)
        {
            fenced += (await Store.ListRunsForNodeAsync($"n{i}", T0.AddDays(-1), default)).Count;
        }

        Assert.Equal(1, fenced);
    }

    [Fact]
    public async Task A_run_is_created_at_version_one_and_updated_to_a_later_version_only()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateRunAsync(NewRun(T0, nodes: ["n1"]) with { Version = 2 }, default));
        var run = await Store.CreateRunAsync(NewRun(T0, nodes: ["n1"]), default);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.UpdateRunAsync(run, default));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.UpdateRunAsync(NewRun(T0, nodes: ["n1"]) with { Version = 2 }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UpdateRunAsync(run with { Version = 2, DiagnosisId = "dgn-other" }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateRunAsync(NewRun(T0, gpus: ["gpu3"]), default));
        Assert.Single((await Store.ListRunsAsync(new RunQuery(), default)).Items);
    }

    [Fact]
    public async Task An_update_round_trips_and_moves_the_run_to_its_new_nodes()
    {
        var run = await Store.CreateRunAsync(NewRun(T0, nodes: ["n1"], gpus: ["n1/gpu3"]), default);
        var next = run with
        {
            Step = RemediationStep.Act,
            Rung = 1,
            Nodes = ["n2"],
            Gpus = ["n3/gpu0", "n3/gpu1"],
            StepStartedAt = T0.AddMinutes(2),
            GpuHoursLost = 3.5,
            History = [.. run.History, new RemediationEvent(T0.AddMinutes(2), RemediationStep.Act, "escalated", "reset failed; rebooting")],
            Version = 2,
        };

        var updated = await Store.UpdateRunAsync(next, default);

        HealthAssert.Same(next, updated);
        HealthAssert.Same(next, (await Store.GetRunAsync(run.Id, default))!);
        Assert.Empty(await Store.ListRunsForNodeAsync("n1", T0.AddDays(-1), default));
        Assert.Equal(run.Id, Assert.Single(await Store.ListRunsForNodeAsync("n2", T0.AddDays(-1), default)).Id);
        Assert.Equal(run.Id, Assert.Single(await Store.ListRunsForNodeAsync("n3", T0.AddDays(-1), default)).Id);
    }

    [Fact]
    public async Task A_stale_update_is_a_conflict_and_changes_nothing()
    {
        var run = await Store.CreateRunAsync(NewRun(T0, nodes: ["n1"]), default);
        var v2 = await Store.UpdateRunAsync(run with { Step = RemediationStep.Cordon, Version = 2 }, default);

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => Store.UpdateRunAsync(run with { Step = RemediationStep.Cancelled, Nodes = ["n9"], Version = 2 }, default));

        Assert.Contains(run.Id, error.Message, StringComparison.Ordinal);
        HealthAssert.Same(v2, (await Store.GetRunAsync(run.Id, default))!);
        Assert.Empty(await Store.ListRunsForNodeAsync("n9", T0.AddDays(-1), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.UpdateRunAsync(v2 with { Version = 4 }, default));
    }

    [Fact]
    public async Task Of_concurrent_updates_from_one_version_exactly_one_wins()
    {
        var run = await Store.CreateRunAsync(NewRun(T0, nodes: ["n1"]), default);
        var contenders = Enumerable.Range(0, 6).Select(i => run with { Reason = $"controller {i}", Version = 2 }).ToList();

        var outcomes = await Task.WhenAll(contenders.Select(c => Task.Run(async () =>
        {
            try
            {
                return await Store.UpdateRunAsync(c, default);
            }
            catch (ConcurrencyConflictException)
            {
                return null;
            }
        })));

        var winner = Assert.Single(outcomes, o => o is not null)!;
        HealthAssert.Same(winner, (await Store.GetRunAsync(run.Id, default))!);
    }

    [Fact]
    public async Task Active_runs_are_the_unfinished_ones_oldest_first()
    {
        var a = await Store.CreateRunAsync(NewRun(T0, nodes: ["n1"]), default);
        var b = await Store.CreateRunAsync(NewRun(T0.AddMinutes(1), nodes: ["n2"]), default);
        var c = await Store.CreateRunAsync(NewRun(T0.AddMinutes(2), nodes: ["n3"]), default);
        await Store.UpdateRunAsync(b with { Step = RemediationStep.Returned, FinishedAt = T0.AddMinutes(5), Version = 2 }, default);

        var active = await Store.ListActiveRunsAsync(default);

        Assert.Equal([a.Id, c.Id], active.Select(r => r.Id));
        HealthAssert.Same(c, active[1]);
    }

    [Fact]
    public async Task Runs_list_newest_first_by_state_and_node_page_by_page()
    {
        var runs = new List<RemediationRun>();
        for (int i = 0; i < 10; i++)
        {
            var run = await Store.CreateRunAsync(NewRun(T0.AddMinutes(i), nodes: i % 2 == 0 ? ["n1"] : [], gpus: i % 2 == 0 ? [] : [$"n{i % 3}/gpu{i}"]), default);
            runs.Add(i % 3 == 0 ? await Store.UpdateRunAsync(run with { Step = RemediationStep.Rma, Version = 2 }, default) : run);
        }

        Assert.Equal(runs.Select(r => r.Id).Reverse(), await AllRunsAsync(new RunQuery(Limit: 3)));
        Assert.Equal(runs.Where(r => !r.IsFinished).Select(r => r.Id).Reverse(), await AllRunsAsync(new RunQuery(Active: true, Limit: 2)));
        Assert.Equal(runs.Where(r => r.IsFinished).Select(r => r.Id).Reverse(), await AllRunsAsync(new RunQuery(Active: false, Limit: 2)));
        var onN1 = runs.Where(r => r.Nodes.Contains("n1") || r.Gpus.Any(g => g.StartsWith("n1/", StringComparison.Ordinal))).ToList();
        Assert.Equal(onN1.Select(r => r.Id).Reverse(), await AllRunsAsync(new RunQuery(Node: "n1", Limit: 2)));
        Assert.Equal(
            onN1.Where(r => !r.IsFinished).Select(r => r.Id).Reverse(),
            await AllRunsAsync(new RunQuery(Active: true, Node: "n1", Limit: 1)));
    }

    [Fact]
    public async Task Runs_for_a_node_include_runs_on_its_gpus_only_and_start_at_the_given_time()
    {
        var before = await Store.CreateRunAsync(NewRun(T0, nodes: ["n1"]), default);
        var whole = await Store.CreateRunAsync(NewRun(T0.AddHours(1), nodes: ["n1"]), default);
        var gpuOnly = await Store.CreateRunAsync(NewRun(T0.AddHours(2), gpus: ["n1/gpu5"]), default);
        await Store.CreateRunAsync(NewRun(T0.AddHours(3), nodes: ["n10"], gpus: ["n11/gpu0"]), default);
        var finished = await Store.CreateRunAsync(NewRun(T0.AddHours(4), nodes: ["n1"]) with { Step = RemediationStep.Refused, FinishedAt = T0.AddHours(4) }, default);

        var runs = await Store.ListRunsForNodeAsync("n1", T0.AddHours(1), default);

        Assert.Equal([whole.Id, gpuOnly.Id, finished.Id], runs.Select(r => r.Id));
        HealthAssert.Same(gpuOnly, runs[1]);
        Assert.Equal(4, (await Store.ListRunsForNodeAsync("n1", T0, default)).Count);
        Assert.Equal(before.Id, (await Store.ListRunsForNodeAsync("n1", T0, default))[0].Id);
        Assert.Single(await Store.ListRunsForNodeAsync("n11", T0, default));
        Assert.Empty(await Store.ListRunsForNodeAsync("n1/gpu5", T0, default));
    }

    private async Task<List<string>> AllFindingsAsync(FindingQuery query)
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Store.ListFindingsAsync(query with { Cursor = cursor }, default);
            Assert.True(page.Items.Count <= Keyset.ClampLimit(query.Limit));
            seen.AddRange(page.Items.Select(f => f.Id));
            cursor = NextOrStop(cursor, page.NextCursor, seen.Count);
        }
        while (cursor is not null);

        return seen;
    }

    private async Task<List<string>> AllRunsAsync(RunQuery query)
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Store.ListRunsAsync(query with { Cursor = cursor }, default);
            seen.AddRange(page.Items.Select(r => r.Id));
            cursor = NextOrStop(cursor, page.NextCursor, seen.Count);
        }
        while (cursor is not null);

        return seen;
    }

    /// <summary>The next cursor; a listing that does not move on, or runs past every record a test makes, fails instead of looping.</summary>
    private static string? NextOrStop(string? previous, string? next, int seen)
    {
        Assert.True(next is null || next != previous, "The listing gave back the cursor it was given: paging would never end.");
        Assert.True(seen <= 5_000, "The listing returned more records than the test stored.");
        return next;
    }

    /// <summary>A sortable id at <paramref name="at"/>; ids made at one instant sort in the order they were made.</summary>
    private string NewId(string prefix, DateTimeOffset at)
    {
        Span<byte> random = stackalloc byte[10];
        BinaryPrimitives.WriteInt32BigEndian(random[6..], Interlocked.Increment(ref _ids));
        return SortableId.Format(prefix, at, random);
    }

    protected Finding NewFinding(string? node, string code, DateTimeOffset detectedAt) => new(
        NewId("fnd", detectedAt),
        code,
        node is null ? new ComponentRef(ComponentKind.Job, "job-1") : new ComponentRef(ComponentKind.Gpu, node + "/gpu3"),
        Severity.Critical,
        Fatal: true,
        FirstSeenAt: detectedAt.AddSeconds(-2),
        DetectedAt: detectedAt,
        Summary: $"{code} on {node}",
        Evidence: [new Evidence(detectedAt.AddSeconds(-2), node + "/gpu3", "xid", 79, null)],
        Work: 42)
    {
        Node = node,
    };

    private Diagnosis NewDiagnosis(DateTimeOffset at, IReadOnlyList<string> nodes, IReadOnlyList<string> gpus) => new(
        NewId("dgn", at),
        new ComponentRef(ComponentKind.Switch, "leaf-7"),
        0.92,
        "32 nodes under leaf-7 lost their links within 4 s; the switch, not the nodes.",
        RemedyHint.RepairFabric,
        Fatal: true,
        at,
        nodes,
        gpus,
        [NewFinding(nodes.Count > 0 ? nodes[0] : null, "IB-LINK-DOWNED", at.AddSeconds(-3)), NewFinding(null, "IB-LINK-DOWNED", at.AddSeconds(-2))])
    {
        Work = 7,
        Supersedes = ["dgn-01M83T4CM00000000000000000"],
    };

    protected RemediationRun NewRun(DateTimeOffset at, IReadOnlyList<string>? nodes = null, IReadOnlyList<string>? gpus = null, string? diagnosis = null) => new(
        NewId("rem", at),
        diagnosis ?? NewId("dgn", at),
        new ComponentRef(ComponentKind.Gpu, "n1/gpu3"),
        nodes ?? [],
        gpus ?? [],
        RemediationStep.Queued,
        Rung: 0,
        Ladder: [RemediationAction.ResetGpu, RemediationAction.RebootNode, RemediationAction.Replace],
        DrainMode.AfterTimeout,
        DryRun: false,
        RequiresApproval: true,
        ApprovedBy: null,
        Reason: "XID 79: the GPU fell off the bus",
        CreatedAt: at,
        StepStartedAt: at,
        FinishedAt: null,
        GpuHoursLost: 0,
        History: [new RemediationEvent(at, RemediationStep.Queued, "created", "waiting for budget")],
        Version: 1);
}
