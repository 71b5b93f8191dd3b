using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Store;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Storage.Tests.Backends;

namespace NeoCloud.Storage.Tests;

/// <summary>What every <see cref="IFleetStore"/> backend must do; run once per backend.</summary>
public abstract class FleetStoreCompliance : StoreTest
{
    private static readonly DateTimeOffset At = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private IFleetStore Store => Stores.Fleet;

    [Fact]
    public async Task An_empty_store_has_no_fleet_and_lists_nothing()
    {
        Assert.False(await Store.HasFleetAsync(default));
        Assert.Empty(await Store.ListRegionsAsync(default));
        Assert.Empty((await Store.ListNodesAsync(new NodeQuery(), default)).Items);
        Assert.Null(await Store.GetNodeAsync(new NodeId("nope"), default));
    }

    [Fact]
    public async Task An_imported_fleet_reads_back_equal()
    {
        var fleet = TestFleets.Default;
        await Store.ImportAsync(fleet, default);

        Assert.True(await Store.HasFleetAsync(default));
        Assert.Equal(fleet.Regions.OrderBy(r => r.Id), await Store.ListRegionsAsync(default));
        Assert.Equal(fleet.Sites.OrderBy(s => s.Id), await Store.ListSitesAsync(null, default));
        var region = fleet.Regions[0].Id;
        Assert.Equal(fleet.Sites.Where(s => s.Region == region).OrderBy(s => s.Id), await Store.ListSitesAsync(region, default));

        var racks = await Store.ListRacksAsync(null, default);
        var expectedRacks = fleet.Racks.OrderBy(r => r.Id).ToList();
        Assert.Equal(expectedRacks.Select(r => r with { Pdus = [] }), racks.Select(r => r with { Pdus = [] }));
        Assert.All(expectedRacks.Zip(racks), pair => Assert.Equal(pair.First.Pdus, pair.Second.Pdus));
        var site = fleet.Sites[1].Id;
        Assert.Equal(fleet.Racks.Count(r => r.Site == site), (await Store.ListRacksAsync(site, default)).Count);

        Assert.Equal(fleet.Nodes.OrderBy(n => n.Id), await AllNodesAsync(new NodeQuery(Limit: 1000)));
        Assert.Equal(fleet.Nodes[17], await Store.GetNodeAsync(fleet.Nodes[17].Id, default));

        var gpus = new List<Gpu>();
        string? cursor = null;
        do
        {
            // Asks for more than the maximum page: the store clamps it to 1000.
            var page = await Store.ListGpusAsync(new GpuQuery(Limit: 5000, Cursor: cursor), default);
            Assert.InRange(page.Items.Count, 1, 1000);
            gpus.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(fleet.Gpus.OrderBy(g => g.Id), gpus);
        Assert.Equal(fleet.Gpus[100], await Store.GetGpuAsync(fleet.Gpus[100].Id, default));

        foreach (var node in fleet.Nodes.Where((_, i) => i % 97 == 0))
        {
            var expected = fleet.Links.Where(l => l.From.StartsWith(node.Id.Value + "/", StringComparison.Ordinal)).OrderBy(l => l.Rail);
            Assert.Equal(expected, await Store.ListLinksAsync(node.Id, default));
        }
    }

    [Fact]
    public async Task Nodes_filter_by_state_site_sku_and_health()
    {
        var fleet = TestFleets.Small;
        await Store.ImportAsync(fleet, default);
        var cordoned = fleet.Nodes[3];
        await Store.ApplyNodeTransitionAsync(cordoned.Id, 1, Transition(cordoned.Id.Value, LifecycleState.Available, LifecycleState.Cordoned), default);
        var sick = fleet.Nodes[15];
        await Store.SetNodeHealthAsync(sick.Id, HealthStatus.Unhealthy, default);
        var site = fleet.Sites[1].Id;

        Assert.Equal([cordoned.Id], await NodeIdsAsync(new NodeQuery(State: LifecycleState.Cordoned)));
        Assert.Equal(fleet.Nodes.Count - 1, (await NodeIdsAsync(new NodeQuery(State: LifecycleState.Available))).Count);
        Assert.Equal(fleet.Nodes.Where(n => n.Site == site).Select(n => n.Id).Order(), await NodeIdsAsync(new NodeQuery(Site: site)));
        Assert.Equal(fleet.Nodes.Where(n => n.Sku == "l40s-48gb").Select(n => n.Id).Order(), await NodeIdsAsync(new NodeQuery(Sku: "l40s-48gb")));
        Assert.Equal([sick.Id], await NodeIdsAsync(new NodeQuery(Health: HealthStatus.Unhealthy)));
        Assert.Equal([sick.Id], await NodeIdsAsync(new NodeQuery(Site: sick.Site, Sku: sick.Sku, Health: HealthStatus.Unhealthy)));
        Assert.Empty(await NodeIdsAsync(new NodeQuery(Site: fleet.Sites[0].Id, Sku: "l40s-48gb")));
        Assert.Equal(fleet.Nodes.Where(n => n.Rack == fleet.Racks[0].Id).Select(n => n.Id).Order(), await NodeIdsAsync(new NodeQuery(Rack: fleet.Racks[0].Id)));
        Assert.Equal(fleet.Nodes.Count, (await NodeIdsAsync(new NodeQuery(Region: fleet.Regions[0].Id))).Count);
    }

    [Fact]
    public async Task Gpus_filter_by_node_site_sku_and_state()
    {
        var fleet = TestFleets.Small;
        await Store.ImportAsync(fleet, default);
        var gpu = fleet.Gpus[5];
        await Store.ApplyGpuTransitionAsync(gpu.Id, Transition(gpu.Id.Value, LifecycleState.Available, LifecycleState.Quarantined), default);
        var site = fleet.Sites[1].Id;
        var siteNodes = fleet.Nodes.Where(n => n.Site == site).Select(n => n.Id).ToHashSet();

        Assert.Equal(fleet.Gpus.Where(g => g.Node == gpu.Node).Select(g => g.Id).Order(), await GpuIdsAsync(new GpuQuery(Node: gpu.Node)));
        Assert.Equal(fleet.Gpus.Where(g => siteNodes.Contains(g.Node)).Select(g => g.Id).Order(), await GpuIdsAsync(new GpuQuery(Site: site)));
        Assert.Equal(fleet.Gpus.Count(g => g.Sku == "l40s-48gb"), (await GpuIdsAsync(new GpuQuery(Sku: "l40s-48gb"))).Count);
        Assert.Equal([gpu.Id], await GpuIdsAsync(new GpuQuery(State: LifecycleState.Quarantined)));
        Assert.Equal(fleet.Gpus.Count, (await GpuIdsAsync(new GpuQuery(Health: HealthStatus.Healthy))).Count);
    }

    [Fact]
    public async Task Cursor_pages_visit_every_node_exactly_once_in_id_order()
    {
        var fleet = TestFleets.Default;
        await Store.ImportAsync(fleet, default);

        var seen = new List<NodeId>();
        int pages = 0;
        string? cursor = null;
        do
        {
            var page = await Store.ListNodesAsync(new NodeQuery(Limit: 97, Cursor: cursor), default);
            Assert.True(page.Items.Count == 97 || page.NextCursor is null, "only the last page may be short");
            seen.AddRange(page.Items.Select(n => n.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal((fleet.Nodes.Count + 96) / 97, pages);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(fleet.Nodes.Select(n => n.Id).Order(), seen);
        Assert.Equal(fleet.Nodes.Select(n => n.Id.Value).Order(StringComparer.Ordinal), seen.Select(id => id.Value));
    }

    [Fact]
    public async Task The_page_size_is_clamped_to_at_least_one()
    {
        await Store.ImportAsync(TestFleets.Small, default);

        Assert.Single((await Store.ListNodesAsync(new NodeQuery(Limit: 0), default)).Items);
        Assert.Single((await Store.ListGpusAsync(new GpuQuery(Limit: -5), default)).Items);
    }

    [Fact]
    public async Task A_cursor_the_store_did_not_give_out_is_rejected()
    {
        await Store.ImportAsync(TestFleets.Small, default);

        var nodes = await Assert.ThrowsAsync<ArgumentException>(() => Store.ListNodesAsync(new NodeQuery(Cursor: "not a cursor!"), default));
        Assert.Contains("not a cursor this listing gave out", nodes.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListGpusAsync(new GpuQuery(Cursor: "%%%"), default));
    }

    [Fact]
    public async Task A_node_transition_changes_state_bumps_version_and_records_history_in_order()
    {
        var node = TestFleets.Small.Nodes[0];
        await Store.ImportAsync(TestFleets.Small, default);
        var first = Transition(node.Id.Value, LifecycleState.Available, LifecycleState.Cordoned);
        var second = Transition(node.Id.Value, LifecycleState.Cordoned, LifecycleState.Draining) with { At = At.AddMinutes(5), Actor = "person:ana" };

        var cordoned = await Store.ApplyNodeTransitionAsync(node.Id, 1, first, default);
        var draining = await Store.ApplyNodeTransitionAsync(node.Id, 2, second, default);

        Assert.Equal(node with { State = LifecycleState.Cordoned, Version = 2 }, cordoned);
        Assert.Equal(node with { State = LifecycleState.Draining, Version = 3 }, draining);
        Assert.Equal(draining, await Store.GetNodeAsync(node.Id, default));
        Assert.Equal([first, second], await Store.ListTransitionsAsync(node.Id.Value, default));
        Assert.Empty(await Store.ListTransitionsAsync(TestFleets.Small.Nodes[1].Id.Value, default));
    }

    [Fact]
    public async Task A_stale_version_is_a_conflict_and_nothing_is_written()
    {
        var node = TestFleets.Small.Nodes[0];
        await Store.ImportAsync(TestFleets.Small, default);
        await Store.ApplyNodeTransitionAsync(node.Id, 1, Transition(node.Id.Value, LifecycleState.Available, LifecycleState.Cordoned), default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.ApplyNodeTransitionAsync(node.Id, 1, Transition(node.Id.Value, LifecycleState.Cordoned, LifecycleState.Repair), default));

        var stored = await Store.GetNodeAsync(node.Id, default);
        Assert.Equal((LifecycleState.Cordoned, 2L), (stored!.State, stored.Version));
        Assert.Single(await Store.ListTransitionsAsync(node.Id.Value, default));
    }

    [Fact]
    public async Task Transitions_and_health_of_an_unknown_node_are_not_found()
    {
        await Store.ImportAsync(TestFleets.Small, default);
        var ghost = new NodeId("tst1-dc9-r99-n99");

        await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            Store.ApplyNodeTransitionAsync(ghost, 1, Transition(ghost.Value, LifecycleState.Available, LifecycleState.Cordoned), default));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.SetNodeHealthAsync(ghost, HealthStatus.Degraded, default));
        var gpu = GpuId.Of(ghost, 0);
        await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            Store.ApplyGpuTransitionAsync(gpu, Transition(gpu.Value, LifecycleState.Available, LifecycleState.Cordoned), default));
        Assert.Empty(await Store.ListTransitionsAsync(ghost.Value, default));
    }

    [Fact]
    public async Task A_gpu_transition_is_guarded_on_the_gpus_current_state()
    {
        var gpu = TestFleets.Small.Gpus[9];
        await Store.ImportAsync(TestFleets.Small, default);

        var quarantined = await Store.ApplyGpuTransitionAsync(gpu.Id, Transition(gpu.Id.Value, LifecycleState.Available, LifecycleState.Quarantined), default);
        Assert.Equal(gpu with { State = LifecycleState.Quarantined }, quarantined);

        // A second caller that read the GPU while it was still available loses.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.ApplyGpuTransitionAsync(gpu.Id, Transition(gpu.Id.Value, LifecycleState.Available, LifecycleState.Cordoned), default));

        Assert.Equal(LifecycleState.Quarantined, (await Store.GetGpuAsync(gpu.Id, default))!.State);
        Assert.Single(await Store.ListTransitionsAsync(gpu.Id.Value, default));
    }

    [Fact]
    public async Task An_illegal_transition_is_refused_and_nothing_is_written()
    {
        var gpu = TestFleets.Small.Gpus[0];
        var node = TestFleets.Small.Nodes[0];
        await Store.ImportAsync(TestFleets.Small, default);

        await Assert.ThrowsAsync<IllegalTransitionException>(() =>
            Store.ApplyGpuTransitionAsync(gpu.Id, new LifecycleTransition(gpu.Id.Value, LifecycleState.Available, LifecycleState.Rma, "a", "r", At), default));
        await Assert.ThrowsAsync<IllegalTransitionException>(() =>
            Store.ApplyNodeTransitionAsync(node.Id, 1, new LifecycleTransition(node.Id.Value, LifecycleState.Available, LifecycleState.BurnIn, "a", "r", At), default));

        Assert.Equal(gpu, await Store.GetGpuAsync(gpu.Id, default));
        Assert.Equal(node, await Store.GetNodeAsync(node.Id, default));
        Assert.Empty(await Store.ListTransitionsAsync(gpu.Id.Value, default));
    }

    [Fact]
    public async Task An_import_that_fails_after_thousands_of_rows_leaves_the_store_empty()
    {
        var broken = TestFleets.DefaultWithDuplicateLastGpu();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.ImportAsync(broken, default));

        Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);
        Assert.False(await Store.HasFleetAsync(default));
        Assert.Empty(await Store.ListRegionsAsync(default));
        Assert.Empty(await Store.ListRacksAsync(null, default));
        Assert.Empty((await Store.ListNodesAsync(new NodeQuery(), default)).Items);
        Assert.Empty((await Store.ListGpusAsync(new GpuQuery(), default)).Items);
        Assert.Empty(await Store.ListLinksAsync(broken.Nodes[0].Id, default));

        await Store.ImportAsync(TestFleets.Default, default);
        Assert.True(await Store.HasFleetAsync(default));
    }

    [Fact]
    public async Task A_second_import_is_refused_and_changes_nothing()
    {
        var node = TestFleets.Small.Nodes[2];
        await Store.ImportAsync(TestFleets.Small, default);
        await Store.ApplyNodeTransitionAsync(node.Id, 1, Transition(node.Id.Value, LifecycleState.Available, LifecycleState.Cordoned), default);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.ImportAsync(TestFleets.Default, default));

        Assert.Contains("already imported", error.Message, StringComparison.Ordinal);
        Assert.Equal(TestFleets.Small.Regions, await Store.ListRegionsAsync(default));
        Assert.Equal(TestFleets.Small.Nodes.Count, (await Store.ListNodesAsync(new NodeQuery(Limit: 1000), default)).Items.Count);
        Assert.Equal(2, (await Store.GetNodeAsync(node.Id, default))!.Version);
    }

    [Fact]
    public async Task Of_concurrent_transitions_on_one_node_exactly_one_wins()
    {
        var node = TestFleets.Small.Nodes[0];
        await Store.ImportAsync(TestFleets.Small, default);
        LifecycleState[] targets = [LifecycleState.Cordoned, LifecycleState.Draining, LifecycleState.Quarantined, LifecycleState.Decommissioned];

        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.ApplyNodeTransitionAsync(node.Id, 1, Transition(node.Id.Value, LifecycleState.Available, targets[i % targets.Length]), default);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        })).ToList();
        bool[] outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, won => won);
        var stored = await Store.GetNodeAsync(node.Id, default);
        Assert.Equal(2, stored!.Version);
        var history = Assert.Single(await Store.ListTransitionsAsync(node.Id.Value, default));
        Assert.Equal(stored.State, history.To);
    }

    [Fact]
    public async Task Transitions_after_a_sequence_come_back_in_commit_order_with_their_subject_kind()
    {
        await Store.ImportAsync(TestFleets.Small, default);
        var node = TestFleets.Small.Nodes[0];
        var gpu = TestFleets.Small.Gpus[^1];
        var cordon = Transition(node.Id.Value, LifecycleState.Available, LifecycleState.Cordoned);
        var quarantine = Transition(gpu.Id.Value, LifecycleState.Available, LifecycleState.Quarantined);
        var drain = Transition(node.Id.Value, LifecycleState.Cordoned, LifecycleState.Draining) with { Actor = "person:ana" };
        await Store.ApplyNodeTransitionAsync(node.Id, 1, cordon, default);
        await Store.ApplyGpuTransitionAsync(gpu.Id, quarantine, default);
        await Store.ApplyNodeTransitionAsync(node.Id, 2, drain, default);

        var all = await Store.ListTransitionsAfterAsync(0, 100, default);

        Assert.Equal([cordon, quarantine, drain], all.Select(t => t.Transition));
        Assert.Equal([LifecycleActions.Node, LifecycleActions.Gpu, LifecycleActions.Node], all.Select(t => t.SubjectKind));
        Assert.True(all[0].Sequence > 0 && all[0].Sequence < all[1].Sequence && all[1].Sequence < all[2].Sequence);
        Assert.Equal([quarantine], (await Store.ListTransitionsAfterAsync(all[0].Sequence, 1, default)).Select(t => t.Transition));
        Assert.Equal([drain], (await Store.ListTransitionsAfterAsync(all[1].Sequence, 100, default)).Select(t => t.Transition));
        Assert.Empty(await Store.ListTransitionsAfterAsync(all[2].Sequence, 100, default));
    }

    [Fact]
    public async Task Concurrent_transitions_of_many_subjects_get_distinct_increasing_sequences()
    {
        await Store.ImportAsync(TestFleets.Small, default);
        var nodes = TestFleets.Small.Nodes.Take(8).ToList();

        await Task.WhenAll(nodes.Select(n => Task.Run(() =>
            Store.ApplyNodeTransitionAsync(n.Id, 1, Transition(n.Id.Value, LifecycleState.Available, LifecycleState.Cordoned), default))));

        var all = await Store.ListTransitionsAfterAsync(0, 100, default);
        Assert.Equal(nodes.Select(n => n.Id.Value).Order(StringComparer.Ordinal), all.Select(t => t.Transition.Subject).Order(StringComparer.Ordinal));
        Assert.Equal(all.Select(t => t.Sequence).Order(), all.Select(t => t.Sequence));
        Assert.Equal(all.Count, all.Select(t => t.Sequence).Distinct().Count());
    }

    private static LifecycleTransition Transition(string subject, LifecycleState from, LifecycleState to) =>
        new(subject, from, to, "automation:tests", $"{from} to {to} for a test", At);

    private async Task<List<Node>> AllNodesAsync(NodeQuery query)
    {
        var nodes = new List<Node>();
        string? cursor = null;
        do
        {
            var page = await Store.ListNodesAsync(query with { Cursor = cursor }, default);
            nodes.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return nodes;
    }

    private async Task<List<NodeId>> NodeIdsAsync(NodeQuery query) =>
        (await AllNodesAsync(query with { Limit = 7 })).Select(n => n.Id).ToList();

    private async Task<List<GpuId>> GpuIdsAsync(GpuQuery query)
    {
        var ids = new List<GpuId>();
        string? cursor = null;
        do
        {
            var page = await Store.ListGpusAsync(query with { Limit = 50, Cursor = cursor }, default);
            ids.AddRange(page.Items.Select(g => g.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return ids;
    }
}
