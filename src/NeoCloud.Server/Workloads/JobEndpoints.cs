using Microsoft.AspNetCore.Http.HttpResults;
using NeoCloud.Kernel;
using NeoCloud.Kernel.Audit;
using NeoCloud.Kernel.Ids;
using NeoCloud.Server.Paging;
using NeoCloud.Server.Problems;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Specs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Server.Workloads;

/// <summary>The Workloads context's REST API: <c>/api/v1/jobs</c> (submit, list, get, cancel, events and a long-poll watch).</summary>
public static class JobEndpoints
{
    private const int MaxManifestBytes = 1 << 20;
    private static readonly TimeSpan WatchPoll = TimeSpan.FromMilliseconds(250);

    public static WebApplication MapJobApi(this WebApplication app)
    {
        var jobs = app.MapGroup("/api/v1/jobs").WithTags("Jobs");
        jobs.MapPost("/", Submit)
            .WithSummary("Submit a job or service manifest (YAML or JSON). With an idempotencyKey, submitting again returns the first job.");
        jobs.MapGet("/", List).WithSummary("Jobs, filtered by tenant, queue, state and name, cursor-paged in submission order.");
        jobs.MapGet("/{id}", Get).WithSummary("One job with its placement and, while pending, its estimated start.");
        jobs.MapPost("/{id}/cancel", Cancel).WithSummary("Cancel a job that has not ended. Idempotent.");
        jobs.MapGet("/{id}/events", Events)
            .WithSummary("A job's state changes, oldest first. With after=SEQ&waitSeconds=N, waits up to N s for changes after SEQ (watch).");
        return app;
    }

    private static async Task<Results<Created<JobView>, Ok<JobView>, ProblemHttpResult>> Submit(
        HttpRequest request, WorkloadRuntime runtime, TimeProvider clock, CancellationToken cancellationToken)
    {
        string text = await ManifestBody.ReadAsync(request, MaxManifestBytes, cancellationToken);
        var specs = WorkloadSpecReader.ParseAll(text);
        if (specs.Count != 1)
        {
            throw new ArgumentException($"submit one job or service per request; this manifest holds {specs.Count}", "body");
        }

        string actor = ActorOf(request.Headers["X-NeoCloud-Actor"].FirstOrDefault(), request.HttpContext);
        var result = await runtime.Controller.SubmitAsync(specs[0], actor, cancellationToken);
        var view = JobView.Of(result.Job, runtime.Controller.EstimatedStart(result.Job.Id), result.Created);
        return result.Created ? TypedResults.Created($"/api/v1/jobs/{result.Job.Id}", view) : TypedResults.Ok(view);
    }

    private static Task<Results<Ok<ListResponse<JobView>>, ProblemHttpResult>> List(
        HttpContext http, IWorkloadStore store, WorkloadRuntime runtime, string? tenant, string? queue, string? state, string? name,
        string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new InvalidRequest();
        var states = new List<JobState>();
        foreach (string s in (state ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ParseState(s) is { } parsed)
            {
                states.Add(parsed);
            }
            else
            {
                errors.Add("state", $"'{s}' is not a job state; known: {string.Join(", ", Enum.GetValues<JobState>().Select(JobMachine.Name))}.");
            }
        }

        return PageRequest.RespondAsync(http, limit, cursor, errors, async page =>
        {
            var result = await store.ListAsync(
                new JobQuery(
                    tenant is { Length: > 0 } t ? new TenantId(t) : null,
                    queue is { Length: > 0 } q ? new QueueId(q) : null,
                    states.Count == 0 ? null : states,
                    name is { Length: > 0 } ? name : null,
                    page.Limit,
                    page.Cursor),
                cancellationToken);
            return new Page<JobView>([.. result.Items.Select(j => JobView.Of(j, runtime.Controller.EstimatedStart(j.Id)))], result.NextCursor);
        });
    }

    private static async Task<Ok<JobView>> Get(string id, IWorkloadStore store, WorkloadRuntime runtime, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(new JobId(id), cancellationToken) ?? throw new KeyNotFoundException($"job {id} not found");
        return TypedResults.Ok(JobView.Of(job, runtime.Controller.EstimatedStart(job.Id)));
    }

    private static async Task<Ok<JobView>> Cancel(string id, CancelRequest? body, HttpRequest request, WorkloadRuntime runtime, CancellationToken cancellationToken)
    {
        string actor = ActorOf(body?.Actor ?? request.Headers["X-NeoCloud-Actor"].FirstOrDefault(), request.HttpContext);
        var job = await runtime.Controller.CancelAsync(new JobId(id), actor, body?.Reason is { Length: > 0 } r ? r : null, cancellationToken);
        return TypedResults.Ok(JobView.Of(job, null));
    }

    private static async Task<Ok<JobEventsResponse>> Events(
        string id, long? after, int? waitSeconds, IWorkloadStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var jobId = new JobId(id);
        var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Clamp(waitSeconds ?? 0, 0, 60));
        while (true)
        {
            var job = await store.GetAsync(jobId, cancellationToken) ?? throw new KeyNotFoundException($"job {id} not found");
            var events = (await store.ListEventsAsync(jobId, cancellationToken)).Where(e => e.Sequence > (after ?? 0)).ToList();
            if (events.Count > 0 || job.IsFinal || clock.GetUtcNow() >= deadline)
            {
                return TypedResults.Ok(new JobEventsResponse([.. events.Select(JobEventView.Of)], job.IsFinal));
            }

            await Task.Delay(WatchPoll, clock, cancellationToken);
        }
    }

    private static JobState? ParseState(string text)
    {
        foreach (var state in Enum.GetValues<JobState>())
        {
            if (string.Equals(JobMachine.Name(state), text, StringComparison.OrdinalIgnoreCase))
            {
                return state;
            }
        }

        return null;
    }

    private static string ActorOf(string? named, HttpContext http) =>
        (named is { Length: > 0 } ? Actor.Parse(named.Trim())
            : http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } user } ? Actor.Person(user) : Actor.Person("anonymous")).ToString();
}
