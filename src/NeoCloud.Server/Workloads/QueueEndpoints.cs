using Microsoft.AspNetCore.Http.HttpResults;
using NeoCloud.Kernel.Ids;
using NeoCloud.Kernel.Persistence;
using NeoCloud.Scheduling.Queues;
using NeoCloud.Server.Paging;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Workloads;

/// <summary><c>/api/v1/queues</c> (declare with manifests, list with live status) and <c>/api/v1/tenants</c>.</summary>
public static class QueueEndpoints
{
    private const int MaxManifestBytes = 1 << 20;

    public static WebApplication MapQueueApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Queues");
        api.MapGet("/queues", List).WithSummary("Every queue with its quota status: pending, running, usage, borrowing, dominant share, oldest wait.");
        api.MapGet("/queues/{name}", Get).WithSummary("One queue with its status and its manifest as declared.");
        api.MapPut("/queues", Apply)
            .WithSummary("Declare or update queues and cohorts from kind: Queue / kind: Cohort manifests (YAML or JSON, one per document).");
        api.MapGet("/tenants", ListTenants).WithSummary("Tenants with their queues and how much work they have pending and running.");
        return app;
    }

    private static Ok<ListResponse<QueueStatus>> List(string? tenant, WorkloadRuntime runtime) =>
        TypedResults.Ok(new ListResponse<QueueStatus>(
            [.. runtime.Controller.QueueStatuses().Where(q => tenant is not { Length: > 0 } || q.Tenant == tenant).OrderBy(q => q.Name, StringComparer.Ordinal)],
            null));

    private static async Task<Ok<QueueDetails>> Get(string name, WorkloadRuntime runtime, IWorkloadStore store, CancellationToken cancellationToken)
    {
        var status = runtime.Controller.QueueStatuses().FirstOrDefault(q => q.Name == name) ?? throw new KeyNotFoundException($"queue {name} not found");
        var declaration = await store.GetDeclarationAsync(DeclarationKind.Queue, name, cancellationToken);
        return TypedResults.Ok(new QueueDetails(status, declaration?.Text, declaration?.Version));
    }

    private static async Task<Ok<ListResponse<Declaration>>> Apply(
        HttpRequest request, WorkloadRuntime runtime, IWorkloadStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        string text = await ManifestBody.ReadAsync(request, MaxManifestBytes, cancellationToken);
        var documents = QueueDeclarations.Split(text);

        // Check the whole set as the scheduler will see it before anything is stored: a queue naming a cohort that exists
        // nowhere is refused here, not half-applied.
        var existing = await store.ListDeclarationsAsync(null, null, cancellationToken);
        var merged = existing.Where(d => !documents.Any(n => n.Kind == d.Kind && n.Name == d.Name)).ToList();
        merged.AddRange(documents.Select(d => new Declaration(d.Kind, d.Name, d.Tenant is { } t ? new TenantId(t) : null, d.Text, 0, clock.GetUtcNow())));
        var all = QueueDeclarations.Read(merged);
        foreach (var queue in all.Queues)
        {
            if (queue.Cohort is { } cohort && !all.Cohorts.Any(c => c.Name == cohort))
            {
                throw new ArgumentException($"queue {queue.Name}: cohort '{cohort}' is not declared (add a kind: Cohort document)", "body");
            }
        }

        var stored = new List<Declaration>();
        foreach (var (kind, name, tenant, document) in documents.OrderBy(d => d.Kind == DeclarationKind.Cohort ? 0 : 1))
        {
            for (int tries = 0; ; tries++)
            {
                var current = await store.GetDeclarationAsync(kind, name, cancellationToken);
                try
                {
                    stored.Add(await store.UpsertDeclarationAsync(kind, name, tenant is { } t ? new TenantId(t) : null, document, current?.Version ?? 0, clock.GetUtcNow(), cancellationToken));
                    break;
                }
                catch (ConcurrencyConflictException) when (tries < 3)
                {
                }
            }
        }

        await runtime.Controller.ApplyAsync(QueueDeclarations.Read(stored), cancellationToken);
        return TypedResults.Ok(new ListResponse<Declaration>(stored, null));
    }

    private static Ok<ListResponse<TenantSummary>> ListTenants(WorkloadRuntime runtime) =>
        TypedResults.Ok(new ListResponse<TenantSummary>(
            [.. runtime.Controller.QueueStatuses()
                .GroupBy(q => q.Tenant, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new TenantSummary(g.Key, [.. g.Select(q => q.Name).Order(StringComparer.Ordinal)], g.Sum(q => q.Pending), g.Sum(q => q.Running)))],
            null));
}
