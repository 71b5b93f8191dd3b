using Microsoft.AspNetCore.Http.HttpResults;
using NeoCloud.Access.Relay;
using NeoCloud.Fleet.Commands;
using NeoCloud.Fleet.Lifecycle;
using NeoCloud.Fleet.Store;
using NeoCloud.Fleet.Topology;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Server.Health;
using NeoCloud.Server.Json;
using NeoCloud.Server.Observability;
using NeoCloud.Server.Paging;
using NeoCloud.Server.Problems;
using NeoCloud.Server.Access;

namespace NeoCloud.Server.Fleet;

/// <summary>The Fleet context's REST API under <c>/api/v1</c>: topology, nodes, GPUs and lifecycle commands.</summary>
public static class FleetEndpoints
{
    private const int DetailPageSize = 1000;

    public static WebApplicationBuilder AddFleetApi(this WebApplicationBuilder builder)
    {
        // Commands go through a store that counts the transitions it commits, whichever store is registered.
        builder.Services.AddScoped(sp => new NodeLifecycleService(
            new TransitionCountingFleetStore(sp.GetRequiredService<IFleetStore>(), sp.GetRequiredService<FleetMetrics>()),
            sp.GetRequiredService<TimeProvider>()));
        return builder;
    }

    public static WebApplication MapFleetApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Fleet");
        api.MapGet("/summary", GetSummary).WithSummary("Node and GPU counts by state, health, site and SKU.");
        api.MapGet("/regions", ListRegions).WithSummary("All regions.");
        api.MapGet("/sites", ListSites).WithSummary("Sites (data centers), optionally of one region.");
        api.MapGet("/racks", ListRacks).WithSummary("Racks, optionally of one site.");
        api.MapGet("/nodes", ListNodes).WithSummary("Nodes, filtered and cursor-paged in node-id order.");
        api.MapGet("/nodes/{id}", GetNode).WithSummary("One node with its GPUs, fabric links and lifecycle history.");
        api.MapPost("/nodes/{id}/cordon", Cordon).WithSummary("Cordon a node: no new work is placed on it. Idempotent.");
        api.MapPost("/nodes/{id}/uncordon", Uncordon).WithSummary("Return a cordoned node to service. Idempotent.");
        api.MapPost("/nodes/{id}/transition", TransitionNode)
            .WithSummary("Move a node to any lifecycle state the state machine allows from where it is (draining, quarantined, repair, ...).");
        api.MapPost("/gpus/{node}/{gpu}/transition", TransitionGpu)
            .WithSummary("Move one GPU to a lifecycle state (quarantine a bad GPU while its node serves the others).");
        api.MapGet("/gpus", ListGpus).WithSummary("GPUs, filtered and cursor-paged in GPU-id order.");
        api.MapGet("/gpus/{**id}", GetGpu)
            .WithSummary("One GPU. Its id holds a slash: /gpus/{node}/gpu{n}, or the id URL-encoded (%2F).");
        return app;
    }

    private static async Task<Ok<FleetSummary>> GetSummary(IFleetStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await FleetSummary.ComputeAsync(store, cancellationToken));

    private static async Task<Ok<ListResponse<Region>>> ListRegions(IFleetStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ListResponse<Region>(await store.ListRegionsAsync(cancellationToken), null));

    private static async Task<Ok<ListResponse<Site>>> ListSites(string? region, IFleetStore store, CancellationToken cancellationToken)
    {
        var id = FleetFilters.Text(region) is { } r ? new RegionId(r) : (RegionId?)null;
        return TypedResults.Ok(new ListResponse<Site>(await store.ListSitesAsync(id, cancellationToken), null));
    }

    private static async Task<Ok<ListResponse<Rack>>> ListRacks(string? site, IFleetStore store, CancellationToken cancellationToken)
    {
        var id = FleetFilters.Text(site) is { } s ? new SiteId(s) : (SiteId?)null;
        return TypedResults.Ok(new ListResponse<Rack>(await store.ListRacksAsync(id, cancellationToken), null));
    }

    private static async Task<Results<Ok<ListResponse<Node>>, ProblemHttpResult>> ListNodes(
        HttpContext http,
        IFleetStore store,
        string? state,
        string? health,
        string? region,
        string? site,
        string? rack,
        string? sku,
        string? limit,
        string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new InvalidRequest();
        var query = new NodeQuery(
            Region: FleetFilters.Text(region) is { } r ? new RegionId(r) : null,
            Site: FleetFilters.Text(site) is { } s ? new SiteId(s) : null,
            Rack: FleetFilters.Text(rack) is { } k ? new RackId(k) : null,
            Sku: FleetFilters.Text(sku),
            State: FleetFilters.Enum<LifecycleState>(state, "state", errors),
            Health: FleetFilters.Enum<HealthStatus>(health, "health", errors));
        return await PageRequest.RespondAsync(http, limit, cursor, errors,
            page => store.ListNodesAsync(query with { Limit = page.Limit, Cursor = page.Cursor }, cancellationToken));
    }

    private static async Task<Results<Ok<NodeDetails>, ProblemHttpResult>> GetNode(string id, IFleetStore store, CancellationToken cancellationToken)
    {
        var nodeId = new NodeId(id);
        var node = await store.GetNodeAsync(nodeId, cancellationToken);
        if (node is null)
        {
            return NotFoundProblem.For("node", id);
        }

        var gpus = new List<Gpu>(node.GpuCount);
        string? cursor = null;
        do
        {
            var page = await store.ListGpusAsync(new GpuQuery(Node: nodeId, Limit: DetailPageSize, Cursor: cursor), cancellationToken);
            gpus.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var links = await store.ListLinksAsync(nodeId, cancellationToken);
        var history = await store.ListTransitionsAsync(id, cancellationToken);
        return TypedResults.Ok(new NodeDetails(node, gpus, links, history));
    }

    private static async Task<Results<Ok<ListResponse<Gpu>>, ProblemHttpResult>> ListGpus(
        HttpContext http,
        IFleetStore store,
        string? node,
        string? site,
        string? sku,
        string? state,
        string? health,
        string? limit,
        string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new InvalidRequest();
        var query = new GpuQuery(
            Node: FleetFilters.Text(node) is { } n ? new NodeId(n) : null,
            Site: FleetFilters.Text(site) is { } s ? new SiteId(s) : null,
            Sku: FleetFilters.Text(sku),
            State: FleetFilters.Enum<LifecycleState>(state, "state", errors),
            Health: FleetFilters.Enum<HealthStatus>(health, "health", errors));
        return await PageRequest.RespondAsync(http, limit, cursor, errors,
            page => store.ListGpusAsync(query with { Limit = page.Limit, Cursor = page.Cursor }, cancellationToken));
    }

    private static async Task<Results<Ok<Gpu>, ProblemHttpResult>> GetGpu(string id, IFleetStore store, CancellationToken cancellationToken)
    {
        // Routing leaves an encoded slash (%2F) encoded; both spellings name the same GPU.
        string gpuId = Uri.UnescapeDataString(id);
        var gpu = await store.GetGpuAsync(new GpuId(gpuId), cancellationToken);
        return gpu is null ? NotFoundProblem.For("GPU", gpuId) : TypedResults.Ok(gpu);
    }

    private static Task<Ok<Node>> Cordon(
        string id, LifecycleCommandRequest? body, HttpContext http, NodeLifecycleService lifecycle, LifecycleAuditRelay relay, CancellationToken cancellationToken) =>
        Transition(id, LifecycleState.Cordoned, body, http, lifecycle, relay, cancellationToken);

    private static async Task<Ok<Node>> Uncordon(
        string id, LifecycleCommandRequest? body, HttpContext http, NodeLifecycleService lifecycle, LifecycleAuditRelay relay, CancellationToken cancellationToken)
    {
        var result = await Transition(id, LifecycleState.Available, body, http, lifecycle, relay, cancellationToken);

        // A person's uncordon overrides automation: the remediation runs fencing this node are cancelled. The node is
        // back in service either way; a failure here is logged, not answered, and the run's next step sees the node available.
        var actor = ActorOf(body, http);
        if (actor.Kind != ActorKind.Automation && http.RequestServices.GetService<HealthRuntime>() is { Unavailable: null } health)
        {
            try
            {
                await health.ExclusiveAsync(async engine =>
                {
                    await engine.NodeUncordonedAsync(id, actor, cancellationToken);
                    return true;
                }, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FleetEndpoints))
                    .LogError(ex, "Node {Node} was uncordoned but its remediation runs could not be cancelled", id);
            }
        }

        return result;
    }

    // Unknown nodes, illegal transitions, conflicts and a missing reason surface as exceptions from the
    // lifecycle service and become 404 / 409 / 400 problems in ProblemExceptionHandler.
    // After a command the relay audits what it committed (and anything else pending), so the caller reads its own audit
    // record; should that fail, the committed change is still audited by the relay's next background pass.
    private static async Task<Ok<Node>> Transition(
        string id,
        LifecycleState to,
        LifecycleCommandRequest? body,
        HttpContext http,
        NodeLifecycleService lifecycle,
        LifecycleAuditRelay relay,
        CancellationToken cancellationToken)
    {
        var actor = ActorOf(body, http);
        using var activity = NeoCloudTelemetry.Source.StartActivity(to == LifecycleState.Cordoned ? "node.cordon" : "node.uncordon");
        activity?.SetTag("neocloud.node", id);
        activity?.SetTag("neocloud.actor", actor.ToString());
        var node = await lifecycle.TransitionAsync(new NodeId(id), to, actor, body?.Reason ?? "", cancellationToken);
        await relay.RelayAsync(cancellationToken);
        return TypedResults.Ok(node);
    }

    private static async Task<Results<Ok<Node>, ProblemHttpResult>> TransitionNode(
        string id, TransitionRequest? body, HttpContext http, NodeLifecycleService lifecycle, LifecycleAuditRelay relay, CancellationToken cancellationToken)
    {
        if (TargetState(body) is not { } to)
        {
            return BadTarget(body);
        }

        using var activity = NeoCloudTelemetry.Source.StartActivity("node.transition");
        activity?.SetTag("neocloud.node", id);
        var node = await lifecycle.TransitionAsync(new NodeId(id), to, RequestActor.Of(body?.Actor, http), body?.Reason ?? "", cancellationToken);
        await relay.RelayAsync(cancellationToken);
        return TypedResults.Ok(node);
    }

    private static async Task<Results<Ok<Gpu>, ProblemHttpResult>> TransitionGpu(
        string node,
        string gpu,
        TransitionRequest? body,
        HttpContext http,
        NodeLifecycleService lifecycle,
        LifecycleAuditRelay relay,
        CancellationToken cancellationToken)
    {
        if (TargetState(body) is not { } to)
        {
            return BadTarget(body);
        }

        string id = $"{node}/{gpu}";
        using var activity = NeoCloudTelemetry.Source.StartActivity("gpu.transition");
        activity?.SetTag("neocloud.gpu", id);
        var updated = await lifecycle.TransitionGpuAsync(new GpuId(id), to, RequestActor.Of(body?.Actor, http), body?.Reason ?? "", cancellationToken);
        await relay.RelayAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    private static LifecycleState? TargetState(TransitionRequest? body) =>
        body?.To is { Length: > 0 } text && WireNames.TryParse(text, out LifecycleState to) ? to : null;

    private static ProblemHttpResult BadTarget(TransitionRequest? body)
    {
        var errors = new InvalidRequest();
        errors.Add("to", body?.To is { Length: > 0 } text
            ? $"'{text}' is not a lifecycle state; use one of: {string.Join(", ", Enum.GetValues<LifecycleState>().Select(s => WireNames.Of(s)))}."
            : "is required: the lifecycle state to move to.");
        return errors.ToProblem();
    }

    private static Actor ActorOf(LifecycleCommandRequest? body, HttpContext http) => RequestActor.Of(body?.Actor, http);
}
