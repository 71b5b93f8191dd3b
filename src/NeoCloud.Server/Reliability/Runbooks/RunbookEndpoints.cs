using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NeoCloud.Kernel.Audit;
using NeoCloud.Reliability.Runbooks;
using NeoCloud.Server.Paging;
using NeoCloud.Server.Problems;
using NeoCloud.Server.Workloads;
using NeoCloud.Server.Access;

namespace NeoCloud.Server.Reliability.Runbooks;

/// <summary>The runbook API: declared runbooks under <c>/api/v1/runbooks</c>, their runs under <c>/api/v1/runbook-runs</c>.</summary>
public static class RunbookEndpoints
{
    private const int MaxManifestBytes = 256 * 1024;

    public static WebApplication MapRunbooks(this WebApplication app)
    {
        var runbooks = app.MapGroup("/api/v1/runbooks").WithTags("Runbooks");
        runbooks.MapGet("/", List).WithSummary("The declared runbooks, by name.");
        runbooks.MapGet("/{name}", Get).WithSummary("One runbook: parameters, alert triggers, steps and their approval gates.");
        runbooks.MapPut("/{name}", Put).WithSummary("Declare or replace a runbook from its kind: Runbook manifest (YAML or JSON body); 400 lists every error with line and column.");
        runbooks.MapPost("/{name}/runs", Start).WithSummary("Start a run: {parameters, dryRun}. It advances in the background and stops at destructive steps for approval.");

        var runs = app.MapGroup("/api/v1/runbook-runs").WithTags("Runbooks");
        runs.MapGet("/", ListRuns).WithSummary("Runs, newest first; state= and runbook= filter; cursor-paged.");
        runs.MapGet("/{id}", GetRun).WithSummary("One run with its steps, outputs, approvals and history.");
        runs.MapPost("/{id}/approve", Approve).WithSummary("Approve the destructive step a run waits on: {actor, step}. The starter may not (two-person rule).");
        runs.MapPost("/{id}/cancel", Cancel).WithSummary("Cancel a run: {actor, reason}; the reason is required.");
        return app;
    }

    private static Ok<ListResponse<RunbookView>> List(RunbookService service) =>
        TypedResults.Ok(new ListResponse<RunbookView>([.. service.Catalog.All.Select(RunbookView.Of)], null));

    private static Results<Ok<RunbookView>, ProblemHttpResult> Get(string name, RunbookService service) =>
        service.Catalog.Find(name) is { } runbook ? TypedResults.Ok(RunbookView.Of(runbook)) : NotFoundProblem.For("runbook", name);

    private static async Task<Results<Created<RunbookView>, Ok<RunbookView>>> Put(string name, HttpRequest request, RunbookService service, CancellationToken cancellationToken)
    {
        // Invalid manifests throw RunbookSpecException: a 400 listing every error, from the problem handler.
        string manifest = await ManifestBody.ReadAsync(request, MaxManifestBytes, cancellationToken);
        var (runbook, created) = await service.PutAsync(name, manifest, RequestActor.Of(null, request.HttpContext), cancellationToken);
        var view = RunbookView.Of(runbook);
        return created ? TypedResults.Created($"/api/v1/runbooks/{runbook.Name}", view) : TypedResults.Ok(view);
    }

    private static async Task<Results<Created<RunbookRun>, ProblemHttpResult>> Start(
        string name, StartRunRequest? body, HttpContext http, RunbookService service, CancellationToken cancellationToken)
    {
        if (service.Catalog.Find(name) is null)
        {
            return NotFoundProblem.For("runbook", name);
        }

        var run = await service.StartAsync(name, body?.Parameters ?? [], body?.DryRun ?? false, RequestActor.Of(body?.Actor, http), cancellationToken);
        return TypedResults.Created($"/api/v1/runbook-runs/{run.Id}", run);
    }

    private static Task<Results<Ok<ListResponse<RunbookRun>>, ProblemHttpResult>> ListRuns(
        HttpContext http, RunbookService service, string? state, string? runbook, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new InvalidRequest();
        RunbookRunState? filter = null;
        if (!string.IsNullOrWhiteSpace(state))
        {
            if (RunbookRunCodec.TryParseState(state.Trim(), out var parsed))
            {
                filter = parsed;
            }
            else
            {
                errors.Add("state", $"'{state}' is not a run state; use one of: {string.Join(", ", Enum.GetValues<RunbookRunState>().Select(RunbookRunCodec.StateName))}.");
            }
        }

        return PageRequest.RespondAsync(http, limit, cursor, errors, page =>
            service.Runner.ListAsync(filter, string.IsNullOrWhiteSpace(runbook) ? null : runbook.Trim(), page.Limit, page.Cursor, cancellationToken));
    }

    private static async Task<Results<Ok<RunbookRun>, ProblemHttpResult>> GetRun(string id, RunbookService service, CancellationToken cancellationToken) =>
        await service.Runner.GetAsync(id, cancellationToken) is { } run ? TypedResults.Ok(run) : NotFoundProblem.For("runbook run", id);

    private static async Task<Results<Ok<RunbookRun>, ProblemHttpResult>> Approve(
        string id, RunCommandRequest? body, HttpContext http, RunbookService service, CancellationToken cancellationToken)
    {
        if (await service.Runner.GetAsync(id, cancellationToken) is null)
        {
            return NotFoundProblem.For("runbook run", id);
        }

        try
        {
            return TypedResults.Ok(await service.ApproveAsync(id, RequestActor.Of(body?.Actor, http), string.IsNullOrWhiteSpace(body?.Step) ? null : body.Step.Trim(), cancellationToken));
        }
        catch (RunbookApprovalException ex)
        {
            return ex.IsSelfApproval
                ? Problem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "The two-person rule forbids this approval.", ex.Message)
                : Problem(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "The run's state does not allow this.", ex.Message);
        }
    }

    private static async Task<Results<Ok<RunbookRun>, ProblemHttpResult>> Cancel(
        string id, RunCommandRequest? body, HttpContext http, RunbookService service, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.Reason))
        {
            var errors = new InvalidRequest();
            errors.Add("reason", "is required: every cancelled run is recorded with why.");
            return errors.ToProblem();
        }

        if (await service.Runner.GetAsync(id, cancellationToken) is null)
        {
            return NotFoundProblem.For("runbook run", id);
        }

        try
        {
            return TypedResults.Ok(await service.CancelAsync(id, RequestActor.Of(body.Actor, http), body.Reason.Trim(), cancellationToken));
        }
        catch (InvalidOperationException ex) when (ex is not RunbookUnavailableException)
        {
            return Problem(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "The run's state does not allow this.", ex.Message);
        }
    }

    private static ProblemHttpResult Problem(int status, string type, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Type = type, Title = title, Status = status, Detail = detail });
}
