using Microsoft.AspNetCore.Http.HttpResults;
using NeoCloud.Access;
using NeoCloud.Access.Audit;
using NeoCloud.Server.Paging;
using NeoCloud.Server.Problems;

namespace NeoCloud.Server.Access;

/// <summary>The Access context's REST API: the hash-chained audit log, read-only.</summary>
public static class AuditEndpoints
{
    public static WebApplicationBuilder AddAccessApi(this WebApplicationBuilder builder)
    {
        // The audit trail port, and the relay (with its background loop) that audits Fleet's lifecycle transitions.
        builder.Services.AddAccess();
        return builder;
    }

    public static WebApplication MapAuditApi(this WebApplication app)
    {
        app.MapGroup("/api/v1").WithTags("Access")
            .MapGet("/audit", ListAudit)
            .WithSummary("Audit records in sequence order, optionally about one target (a node id, ...), cursor-paged.");
        return app;
    }

    private static async Task<Results<Ok<ListResponse<AuditRecord>>, ProblemHttpResult>> ListAudit(
        HttpContext http, IAuditStore store, string? target, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        string? about = string.IsNullOrWhiteSpace(target) ? null : target.Trim();
        return await PageRequest.RespondAsync(http, limit, cursor, new InvalidRequest(),
            page => store.ListAsync(about, page.Limit, page.Cursor, cancellationToken));
    }
}
