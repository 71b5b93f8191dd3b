using System.Data.Common;
using System.Text;
using Dapper;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Store;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;

namespace NeoCloud.Storage.Relational;

/// <summary>
/// The fleet store over SQL, written once: queries use <c>{fleet}.</c> placeholders that the backend's dialect resolves.
/// Backends differ only in how they open connections and transactions and in how an import streams its rows.
/// </summary>
internal abstract class RelationalFleetStore(Database database) : IFleetStore
{
    protected Database Database { get; } = database;

    public async Task<bool> HasFleetAsync(CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<long>(Command("select count(*) from {fleet}.fleets", null, null, cancellationToken)) > 0;
    }

    public async Task ImportAsync(FleetTopology topology, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        await using var tx = await Database.BeginWriteAsync(c, cancellationToken);
        string? existing = await c.ExecuteScalarAsync<string?>(Command("select name from {fleet}.fleets", null, tx, cancellationToken));
        if (existing is not null)
        {
            // A fleet is written once; later changes go through lifecycle transitions, so a second import is refused, not merged.
            throw new InvalidOperationException(
                $"A fleet ('{existing}') is already imported; importing '{topology.Name}' was refused and nothing was written.");
        }

        try
        {
            foreach (var table in ImportTables(topology))
            {
                await WriteRowsAsync(c, tx, table with { Table = Database.Dialect.Translate(table.Table) }, cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }
        catch (DbException e)
        {
            throw new InvalidOperationException($"Importing fleet '{topology.Name}' failed and nothing was written: {e.Message}", e);
        }
    }

    /// <summary>Writes all rows of one table inside the import's transaction.</summary>
    protected abstract Task WriteRowsAsync(DbConnection connection, DbTransaction transaction, ImportTable table, CancellationToken cancellationToken);

    public async Task<IReadOnlyList<Region>> ListRegionsAsync(CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<RegionRow>(Command(
            "select id as Id, display_name as DisplayName from {fleet}.regions order by id", null, null, cancellationToken));
        return rows.Select(r => r.ToRegion()).ToList();
    }

    public async Task<IReadOnlyList<Site>> ListSitesAsync(RegionId? region, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        string sql = "select id as Id, region_id as RegionId, name as Name, ownership as Ownership, operator as Operator, oem as Oem from {fleet}.sites"
            + (region is null ? "" : " where region_id = @region") + " order by id";
        var rows = await c.QueryAsync<SiteRow>(Command(sql, new { region = region?.Value }, null, cancellationToken));
        return rows.Select(r => r.ToSite()).ToList();
    }

    public async Task<IReadOnlyList<Rack>> ListRacksAsync(SiteId? site, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        string sql = "select id as Id, site_id as SiteId, pod_id as PodId, idx as Idx, pdus as Pdus from {fleet}.racks"
            + (site is null ? "" : " where site_id = @site") + " order by id";
        var rows = await c.QueryAsync<RackRow>(Command(sql, new { site = site?.Value }, null, cancellationToken));
        return rows.Select(r => r.ToRack()).ToList();
    }

    public Task<Page<Node>> ListNodesAsync(NodeQuery query, CancellationToken cancellationToken) =>
        ListPageAsync<NodeRow, Node>(
            NodeRow.Columns, "nodes", query.Limit, query.Cursor,
            [
                ("region_id", query.Region?.Value),
                ("site_id", query.Site?.Value),
                ("rack_id", query.Rack?.Value),
                ("sku", query.Sku),
                ("state", query.State?.ToString()),
                ("health", query.Health?.ToString()),
            ],
            r => r.ToNode(), n => n.Id.Value, cancellationToken);

    public async Task<Node?> GetNodeAsync(NodeId id, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        return (await ReadNodeAsync(c, null, id, cancellationToken))?.ToNode();
    }

    public Task<Page<Gpu>> ListGpusAsync(GpuQuery query, CancellationToken cancellationToken) =>
        ListPageAsync<GpuRow, Gpu>(
            GpuRow.Columns, "gpus", query.Limit, query.Cursor,
            [
                ("node_id", query.Node?.Value),
                ("site_id", query.Site?.Value),
                ("sku", query.Sku),
                ("state", query.State?.ToString()),
                ("health", query.Health?.ToString()),
            ],
            r => r.ToGpu(), g => g.Id.Value, cancellationToken);

    /// <summary>One keyset page of a fleet table in id order: equality filters on the columns given a value, then the page after the cursor.</summary>
    private async Task<Page<T>> ListPageAsync<TRow, T>(
        string columns,
        string table,
        int requestedLimit,
        string? cursor,
        (string Column, string? Value)[] filters,
        Func<TRow, T> map,
        Func<T, string> key,
        CancellationToken cancellationToken)
    {
        int limit = Keyset.ClampLimit(requestedLimit);
        string? after = Keyset.After(cursor, "query");
        var sql = new StringBuilder("select ").Append(columns).Append(" from {fleet}.").Append(table).Append(" where 1 = 1");
        var parameters = new DynamicParameters();
        Filter(sql, parameters, "id >", "after", after);
        foreach (var (column, value) in filters)
        {
            Filter(sql, parameters, column + " =", column, value);
        }

        sql.Append(" order by id limit @limit");
        parameters.Add("limit", limit + 1);

        await using var c = await Database.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<TRow>(Command(sql.ToString(), parameters, null, cancellationToken));
        return Keyset.ToPage(rows.Select(map).ToList(), limit, key);
    }

    public async Task<Gpu?> GetGpuAsync(GpuId id, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        return (await ReadGpuAsync(c, null, id, cancellationToken))?.ToGpu();
    }

    public async Task<IReadOnlyList<FabricLink>> ListLinksAsync(NodeId node, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<LinkRow>(Command(
            "select id as Id, kind as Kind, from_end as FromEnd, to_end as ToEnd, rail as Rail, speed_gbps as SpeedGbps " +
            "from {fleet}.links where node_id = @node order by rail, id",
            new { node = node.Value }, null, cancellationToken));
        return rows.Select(r => r.ToLink()).ToList();
    }

    public async Task<IReadOnlyList<LifecycleTransition>> ListTransitionsAsync(string subject, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<TransitionRow>(Command(
            "select subject as Subject, from_state as FromState, to_state as ToState, actor as Actor, reason as Reason, at as At " +
            "from {fleet}.transitions where subject = @subject order by seq",
            new { subject }, null, cancellationToken));
        return rows.Select(r => new LifecycleTransition(
            r.Subject, Enum.Parse<LifecycleState>(r.FromState), Enum.Parse<LifecycleState>(r.ToState), r.Actor, r.Reason, Database.FromDb(r.At))).ToList();
    }

    public async Task<IReadOnlyList<RecordedTransition>> ListTransitionsAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var c = await Database.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<TransitionRow>(Command(
            "select seq as Seq, subject_kind as SubjectKind, subject as Subject, from_state as FromState, to_state as ToState, actor as Actor, " +
            "reason as Reason, at as At from {fleet}.transitions where seq > @after order by seq limit @limit",
            new { after = afterSequence, limit }, null, cancellationToken));
        return rows.Select(r => new RecordedTransition(r.Seq, r.SubjectKind, new LifecycleTransition(
            r.Subject, Enum.Parse<LifecycleState>(r.FromState), Enum.Parse<LifecycleState>(r.ToState), r.Actor, r.Reason, Database.FromDb(r.At)))).ToList();
    }

    public Task<Node> ApplyNodeTransitionAsync(NodeId id, long expectedVersion, LifecycleTransition transition, CancellationToken cancellationToken) =>
        ApplyGuardedAsync(
            LifecycleMachine.Node, LifecycleActions.Node, id.Value, transition,
            "update {fleet}.nodes set state = @to, version = version + 1 where id = @id and version = @expected",
            new { to = transition.To.ToString(), id = id.Value, expected = expectedVersion },
            (c, tx, ct) => ReadNodeAsync(c, tx, id, ct),
            current => $"Node {id} is at version {current.Version} ({current.State}), not {expectedVersion}",
            row => row.ToNode(),
            cancellationToken);

    public Task<Gpu> ApplyGpuTransitionAsync(GpuId id, LifecycleTransition transition, CancellationToken cancellationToken) =>
        ApplyGuardedAsync(
            LifecycleMachine.Gpu, LifecycleActions.Gpu, id.Value, transition,
            "update {fleet}.gpus set state = @to where id = @id and state = @from",
            new { to = transition.To.ToString(), id = id.Value, from = transition.From.ToString() },
            (c, tx, ct) => ReadGpuAsync(c, tx, id, ct),
            current => $"GPU {id} is {current.State}, not {transition.From}",
            row => row.ToGpu(),
            cancellationToken);

    /// <summary>
    /// One lifecycle write: a guarded update (optimistic concurrency) and its transition-log row in one transaction.
    /// No row updated means the subject is unknown (<see cref="KeyNotFoundException"/>) or moved on since it was read
    /// (<see cref="ConcurrencyConflictException"/>); either way nothing is written.
    /// </summary>
    private async Task<T> ApplyGuardedAsync<TRow, T>(
        LifecycleMachine machine,
        string subjectKind,
        string id,
        LifecycleTransition transition,
        string guardedUpdate,
        object parameters,
        Func<DbConnection, DbTransaction, CancellationToken, Task<TRow?>> read,
        Func<TRow, string> whyConflict,
        Func<TRow, T> map,
        CancellationToken cancellationToken)
        where TRow : class
    {
        CheckTransition(machine, id, transition);
        await using var c = await Database.OpenAsync(cancellationToken);
        await using var tx = await Database.BeginWriteAsync(c, cancellationToken);
        if (await c.ExecuteAsync(Command(guardedUpdate, parameters, tx, cancellationToken)) == 0)
        {
            var current = await read(c, tx, cancellationToken) ?? throw new KeyNotFoundException($"No {subjectKind} '{id}' in the fleet.");
            throw new ConcurrencyConflictException($"{whyConflict(current)}: it changed since it was read; read it again and retry.");
        }

        await InsertTransitionAsync(c, tx, subjectKind, transition, cancellationToken);
        var updated = map((await read(c, tx, cancellationToken))!);
        await tx.CommitAsync(cancellationToken);
        return updated;
    }

    public async Task SetNodeHealthAsync(NodeId id, HealthStatus health, CancellationToken cancellationToken)
    {
        await using var c = await Database.OpenAsync(cancellationToken);
        await using var tx = await Database.BeginWriteAsync(c, cancellationToken);
        int updated = await c.ExecuteAsync(Command(
            "update {fleet}.nodes set health = @health where id = @id", new { health = health.ToString(), id = id.Value }, tx, cancellationToken));
        if (updated == 0)
        {
            throw new KeyNotFoundException($"No node '{id}' in the fleet.");
        }

        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Holds, until <paramref name="transaction"/> ends, the right to append to the transition log, so transitions commit
    /// in the order of their sequence numbers and a relay that has read sequence n never later finds a smaller one.
    /// </summary>
    protected abstract Task LockTransitionLogAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    protected CommandDefinition Command(string sql, object? parameters, DbTransaction? tx, CancellationToken cancellationToken) =>
        new(Database.Dialect.Translate(sql), parameters, tx, cancellationToken: cancellationToken);

    private static void CheckTransition(LifecycleMachine machine, string id, LifecycleTransition transition)
    {
        if (!string.Equals(transition.Subject, id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The transition is about '{transition.Subject}', not '{id}'.", nameof(transition));
        }

        // The commands check this already; the store refuses to record an illegal history whoever calls it.
        if (!machine.CanTransition(transition.From, transition.To))
        {
            throw new IllegalTransitionException(machine.Subject, id, transition.From, transition.To, machine.NextStates(transition.From));
        }
    }

    private static void Filter(StringBuilder sql, DynamicParameters parameters, string condition, string name, string? value)
    {
        if (value is not null)
        {
            sql.Append(" and ").Append(condition).Append(" @").Append(name);
            parameters.Add(name, value);
        }
    }

    private Task<NodeRow?> ReadNodeAsync(DbConnection c, DbTransaction? tx, NodeId id, CancellationToken cancellationToken) =>
        c.QuerySingleOrDefaultAsync<NodeRow>(Command(
            "select " + NodeRow.Columns + " from {fleet}.nodes where id = @id", new { id = id.Value }, tx, cancellationToken));

    private Task<GpuRow?> ReadGpuAsync(DbConnection c, DbTransaction? tx, GpuId id, CancellationToken cancellationToken) =>
        c.QuerySingleOrDefaultAsync<GpuRow>(Command(
            "select " + GpuRow.Columns + " from {fleet}.gpus where id = @id", new { id = id.Value }, tx, cancellationToken));

    private async Task InsertTransitionAsync(DbConnection c, DbTransaction tx, string subjectKind, LifecycleTransition t, CancellationToken cancellationToken)
    {
        // The sequence is drawn after the lock, and the lock is held to commit: sequence order is commit order.
        await LockTransitionLogAsync(c, tx, cancellationToken);
        await c.ExecuteAsync(Command(
            "insert into {fleet}.transitions (subject_kind, subject, from_state, to_state, actor, reason, at) " +
            "values (@kind, @subject, @from, @to, @actor, @reason, @at)",
            new { kind = subjectKind, subject = t.Subject, from = t.From.ToString(), to = t.To.ToString(), actor = t.Actor, reason = t.Reason, at = Database.ToDb(t.At) },
            tx, cancellationToken));
    }

    private static IEnumerable<ImportTable> ImportTables(FleetTopology t)
    {
        var siteOfNode = t.Nodes.ToDictionary(n => n.Id, n => n.Site.Value);
        yield return new ImportTable("{fleet}.fleets", ["id", "name"], [[1, t.Name]]);
        yield return new ImportTable("{fleet}.regions", ["id", "display_name"], t.Regions.Select(r => new object[] { r.Id.Value, r.DisplayName }));
        yield return new ImportTable(
            "{fleet}.sites", ["id", "region_id", "name", "ownership", "operator", "oem"],
            t.Sites.Select(s => new object[] { s.Id.Value, s.Region.Value, s.Name, s.Ownership.ToString(), s.Operator, s.Oem }));
        yield return new ImportTable("{fleet}.pods", ["id", "site_id", "idx"], t.Pods.Select(p => new object[] { p.Id.Value, p.Site.Value, p.Index }));
        yield return new ImportTable(
            "{fleet}.racks", ["id", "site_id", "pod_id", "idx", "pdus"],
            t.Racks.Select(r => new object[] { r.Id.Value, r.Site.Value, r.Pod.Value, r.Index, RackRow.PdusJson(r.Pdus) }));
        yield return new ImportTable(
            "{fleet}.nodes",
            ["id", "region_id", "site_id", "pod_id", "rack_id", "slot", "sku", "hostname", "leaf_group", "nvlink_domain", "pdu", "gpu_count",
             "cpu_cores", "memory_gib", "fw_bios", "fw_bmc", "fw_gpu_vbios", "fw_driver", "fw_cuda", "fw_nic", "state", "health", "version"],
            t.Nodes.Select(n => new object[]
            {
                n.Id.Value, n.Region.Value, n.Site.Value, n.Pod.Value, n.Rack.Value, n.Slot, n.Sku, n.Hostname, n.LeafGroup, n.NvLinkDomain.Value,
                n.Pdu.Value, n.GpuCount, n.CpuCores, n.MemoryGiB, n.Firmware.Bios, n.Firmware.Bmc, n.Firmware.GpuVbios, n.Firmware.Driver,
                n.Firmware.Cuda, n.Firmware.NicFirmware, n.State.ToString(), n.Health.ToString(), n.Version,
            }));
        yield return new ImportTable(
            "{fleet}.gpus", ["id", "node_id", "site_id", "idx", "sku", "uuid", "pci_bus_id", "numa_node", "nic", "state", "health"],
            t.Gpus.Select(g => new object[]
            {
                g.Id.Value, g.Node.Value, siteOfNode.TryGetValue(g.Node, out string? site) ? site : "", g.Index, g.Sku, g.Uuid, g.PciBusId,
                g.NumaNode, g.Nic, g.State.ToString(), g.Health.ToString(),
            }));
        yield return new ImportTable(
            "{fleet}.switches", ["id", "site_id", "pod_id", "tier", "fabric", "leaf_group", "rail"],
            t.Switches.Select(s => new object[]
            {
                s.Id.Value, s.Site.Value, s.Pod.Value, s.Tier.ToString(), s.Fabric.ToString(), (object?)s.LeafGroup ?? DBNull.Value, s.Rail,
            }));
        yield return new ImportTable(
            "{fleet}.links", ["id", "kind", "from_end", "to_end", "rail", "speed_gbps", "node_id"],
            t.Links.Select(l => new object[] { l.Id, l.Kind.ToString(), l.From, l.To, l.Rail, l.SpeedGbps, NodeOfPort(l) }));
    }

    private static object NodeOfPort(FabricLink link)
    {
        int slash = link.From.IndexOf('/', StringComparison.Ordinal);
        return link.Kind == LinkKind.NodeToLeaf && slash > 0 ? link.From[..slash] : DBNull.Value;
    }
}
