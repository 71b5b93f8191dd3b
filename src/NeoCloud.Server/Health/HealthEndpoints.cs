using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Remediation;
using NeoCloud.Health.Store;
using NeoCloud.Kernel.Audit;
using NeoCloud.Server.Paging;
using NeoCloud.Server.Problems;
using NeoCloud.Server.Access;

namespace NeoCloud.Server.Health;

/// <summary>The Health context's REST API under <c>/api/v1/health</c>: findings, diagnoses, remediation runs and their commands, breakers, a summary.</summary>
public static class HealthEndpoints
{
    /// <summary>The window a summary covers when no <c>since</c> is given.</summary>
    public static readonly TimeSpan DefaultSummaryWindow = TimeSpan.FromHours(24);

    public static WebApplication MapHealth(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/health").WithTags("Health");
        api.MapGet("/summary", Summary).WithSummary("Findings by code, active runs by step, open breakers, recent pages, detection delay and time to return (p50/p95).");
        api.MapGet("/findings", ListFindings).WithSummary("Findings, newest first, filtered by node, code and since; cursor-paged.");
        api.MapGet("/diagnoses", ListDiagnoses).WithSummary("Diagnoses, newest first, optionally since a time; cursor-paged.");
        api.MapGet("/remediations", ListRuns).WithSummary("Remediation runs, newest first; active=true for unfinished ones, node= for one node's.");
        api.MapGet("/remediations/{id}", GetRun).WithSummary("One remediation run with its history.");
        api.MapPost("/remediations/{id}/approve", Approve).WithSummary("Approve a run that waits for a person (a destructive action).");
        api.MapPost("/remediations/{id}/cancel", Cancel).WithSummary("Cancel a run; body {reason, actor}, the reason is required.");
        api.MapPost("/breakers/{scope}/reset", ResetBreaker).WithSummary("Close a tripped breaker (fleet, region:euw1): automation may act again in that scope.");
        return app;
    }

    private static async Task<Results<Ok<HealthSummary>, ProblemHttpResult>> Summary(string? since, HealthRuntime runtime, CancellationToken cancellationToken)
    {
        var errors = new InvalidRequest();
        var from = QueryTime.ParseSince(since, errors) ?? runtime.Clock.GetUtcNow() - DefaultSummaryWindow;
        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await HealthSummary.ComputeAsync(runtime, from, cancellationToken));
    }

    private static Task<Results<Ok<ListResponse<Finding>>, ProblemHttpResult>> ListFindings(
        HttpContext http, HealthRuntime runtime, string? node, string? code, string? since, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var store = StoreOf(runtime);
        var errors = new InvalidRequest();
        var from = QueryTime.ParseSince(since, errors);
        return PageRequest.RespondAsync(http, limit, cursor, errors, page => store.ListFindingsAsync(
            new FindingQuery(Text(node), Text(code), from, page.Limit, page.Cursor), cancellationToken));
    }

    private static Task<Results<Ok<ListResponse<Diagnosis>>, ProblemHttpResult>> ListDiagnoses(
        HttpContext http, HealthRuntime runtime, string? since, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var store = StoreOf(runtime);
        var errors = new InvalidRequest();
        var from = QueryTime.ParseSince(since, errors);
        return PageRequest.RespondAsync(http, limit, cursor, errors, page => store.ListDiagnosesAsync(from, page.Limit, page.Cursor, cancellationToken));
    }

    private static Task<Results<Ok<ListResponse<RemediationRun>>, ProblemHttpResult>> ListRuns(
        HttpContext http, HealthRuntime runtime, string? active, string? node, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var store = StoreOf(runtime);
        var errors = new InvalidRequest();
        bool? onlyActive = null;
        if (Text(active) is { } text)
        {
            if (bool.TryParse(text, out bool value))
            {
                onlyActive = value;
            }
            else
            {
                errors.Add("active", $"'{text}' is not true or false.");
            }
        }

        return PageRequest.RespondAsync(http, limit, cursor, errors, page => store.ListRunsAsync(
            new RunQuery(onlyActive, Text(node), page.Limit, page.Cursor), cancellationToken));
    }

    private static async Task<Results<Ok<RemediationRun>, ProblemHttpResult>> GetRun(string id, HealthRuntime runtime, CancellationToken cancellationToken) =>
        await StoreOf(runtime).GetRunAsync(id, cancellationToken) is { } run ? TypedResults.Ok(run) : NotFoundProblem.For("remediation run", id);

    private static async Task<Results<Ok<RemediationRun>, ProblemHttpResult>> Approve(
        string id, HealthCommandRequest? body, HttpContext http, HealthRuntime runtime, CancellationToken cancellationToken)
    {
        if (await StoreOf(runtime).GetRunAsync(id, cancellationToken) is null)
        {
            return NotFoundProblem.For("remediation run", id);
        }

        var actor = RequestActor.Of(body?.Actor, http);
        return await CommandAsync(() => runtime.ExclusiveAsync(engine => engine.ApproveAsync(id, actor, cancellationToken), cancellationToken));
    }

    private static async Task<Results<Ok<RemediationRun>, ProblemHttpResult>> Cancel(
        string id, HealthCommandRequest? body, HttpContext http, HealthRuntime runtime, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.Reason))
        {
            var errors = new InvalidRequest();
            errors.Add("reason", "is required: every cancelled remediation is audited with why.");
            return errors.ToProblem();
        }

        if (await StoreOf(runtime).GetRunAsync(id, cancellationToken) is null)
        {
            return NotFoundProblem.For("remediation run", id);
        }

        var actor = RequestActor.Of(body.Actor, http);
        return await CommandAsync(() => runtime.ExclusiveAsync(engine => engine.CancelAsync(id, actor, body.Reason.Trim(), cancellationToken), cancellationToken));
    }

    private static async Task<Results<Ok<BreakerReset>, ProblemHttpResult>> ResetBreaker(
        string scope, HealthCommandRequest? body, HttpContext http, HealthRuntime runtime, CancellationToken cancellationToken)
    {
        var actor = RequestActor.Of(body?.Actor, http);
        var open = await runtime.ExclusiveAsync(async engine =>
        {
            await engine.ResetBreakerAsync(scope, actor, cancellationToken);
            return engine.OpenBreakers.ToArray();
        }, cancellationToken);
        return TypedResults.Ok(new BreakerReset(scope, actor.ToString(), open));
    }

    // A command the run's state does not allow (approving a run that waits for nothing, cancelling a finished one) is a conflict.
    private static async Task<Results<Ok<RemediationRun>, ProblemHttpResult>> CommandAsync(Func<Task<RemediationRun>> command)
    {
        try
        {
            return TypedResults.Ok(await command());
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Type = ProblemTypes.Conflict,
                Title = "The remediation run's state does not allow this.",
                Status = StatusCodes.Status409Conflict,
                Detail = ex.Message,
            });
        }
    }

    private static IHealthStore StoreOf(HealthRuntime runtime) =>
        runtime.Store ?? throw new HealthUnavailableException(runtime.Unavailable ?? "no health store is registered");

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
