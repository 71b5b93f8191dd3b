using FsCheck.Xunit;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;

namespace NeoCloud.Health.Tests.Store;

/// <summary>
/// What the in-memory store does beyond the compliance suite (tests/NeoCloud.Storage.Tests runs that suite on it): it
/// keeps its own copies, and it stays consistent under concurrent use.
/// </summary>
public sealed class InMemoryHealthStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Changing_a_list_after_storing_it_does_not_change_what_is_stored()
    {
        var store = new InMemoryHealthStore();
        var evidence = new List<Evidence> { new(T0, "n1/gpu0", "xid", 79) };
        var nodes = new List<string> { "n1" };
        await store.AppendFindingsAsync([Finding("fnd-1", "n1") with { Evidence = evidence }], default);
        await store.CreateRunAsync(Run("rem-1", "dgn-1", T0) with { Nodes = nodes }, default);

        evidence.Add(new Evidence(T0, "n1/gpu0", "xid", 48));
        nodes[0] = "n2";

        Assert.Single(Assert.Single((await store.ListFindingsAsync(new FindingQuery(), default)).Items).Evidence);
        Assert.Equal(["n1"], (await store.GetRunAsync("rem-1", default))!.Nodes);
        Assert.Single(await store.ListRunsForNodeAsync("n1", T0, default));
        Assert.Empty(await store.ListRunsForNodeAsync("n2", T0, default));
    }

    [Property(MaxTest = 20)]
    public async Task Concurrent_appends_creates_and_updates_leave_every_index_consistent(int seed)
    {
        var store = new InMemoryHealthStore();
        var random = new Random(seed);
        int runs = 1 + random.Next(20);

        await Task.WhenAll(Enumerable.Range(0, runs).Select(i => Task.Run(async () =>
        {
            string node = $"n{i % 4}";
            await store.AppendFindingsAsync([Finding($"fnd-{i:D3}", node)], default);
            var run = await store.CreateRunAsync(Run($"rem-{i:D3}", $"dgn-{i % 7}", T0.AddSeconds(i)) with { Nodes = [node] }, default);
            try
            {
                await store.UpdateRunAsync(run with { Step = RemediationStep.Returned, Version = run.Version + 1 }, default);
            }
            catch (Kernel.Persistence.ConcurrencyConflictException)
            {
                // Another task created the run of this diagnosis and finished it first.
            }
        })));

        var all = await store.ListRunsAsync(new RunQuery(Limit: 1000), default);
        Assert.Equal(Math.Min(runs, 7), all.Items.Count);
        Assert.All(all.Items, r => Assert.Equal(RemediationStep.Returned, r.Step));
        Assert.Empty(await store.ListActiveRunsAsync(default));
        Assert.Equal(runs, store.FindingCount);
        int perNode = 0;
        for (int n = 0; n < 4; n++)
        {
            perNode += (await store.ListRunsForNodeAsync($"n{n}", T0, default)).Count;
            Assert.All((await store.ListFindingsAsync(new FindingQuery(Node: $"n{n}"), default)).Items, f => Assert.Equal($"n{n}", f.Node));
        }

        Assert.Equal(all.Items.Count, perNode);
    }

    private static Finding Finding(string id, string node) => new(
        id, "XID-79", new ComponentRef(ComponentKind.Gpu, node + "/gpu0"), Severity.Critical, true, T0, T0, "XID 79", [])
    {
        Node = node,
    };

    private static RemediationRun Run(string id, string diagnosis, DateTimeOffset at) => new(
        id, diagnosis, new ComponentRef(ComponentKind.Node, "n1"), [], [], RemediationStep.Queued, 0, [RemediationAction.RebootNode],
        DrainMode.Immediate, false, false, null, "test", at, at, null, 0, [], 1);
}
