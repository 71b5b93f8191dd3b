using System.Text.Json;
using NeoCloud.Kernel.Ids;
using NeoCloud.Workloads.Execution;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Store;

namespace NeoCloud.Storage.Relational;

// Dapper row shapes of the workloads schema. Instants come back as the backend's own type (text on SQLite,
// timestamptz on PostgreSQL) and go through Database.FromDb.

internal sealed class JobRow
{
    public const string Columns =
        "id as Id, kind as Kind, name as Name, tenant as Tenant, queue as Queue, idempotency_key as IdempotencyKey, spec as Spec, " +
        "state as State, version as Version, attempt as Attempt, retries_used as RetriesUsed, retry_budget as RetryBudget, " +
        "checkpoint_ticks as CheckpointTicks, checkpoint_at as CheckpointAt, placement as Placement, submitted_at as SubmittedAt, " +
        "started_at as StartedAt, finished_at as FinishedAt, last_reason as LastReason";

    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public string Tenant { get; set; } = "";
    public string Queue { get; set; } = "";
    public string? IdempotencyKey { get; set; }
    public string Spec { get; set; } = "";
    public string State { get; set; } = "";
    public long Version { get; set; }
    public int Attempt { get; set; }
    public int RetriesUsed { get; set; }
    public int RetryBudget { get; set; }
    public long? CheckpointTicks { get; set; }
    public object? CheckpointAt { get; set; }
    public string Placement { get; set; } = "[]";
    public object SubmittedAt { get; set; } = "";
    public object? StartedAt { get; set; }
    public object? FinishedAt { get; set; }
    public string LastReason { get; set; } = "";

    public Job ToJob(Database db) => new(
        new JobId(Id),
        Enum.Parse<WorkloadKind>(Kind),
        Name,
        new TenantId(Tenant),
        new QueueId(Queue),
        IdempotencyKey,
        Spec,
        Enum.Parse<JobState>(State),
        Version,
        Attempt,
        RetriesUsed,
        RetryBudget,
        CheckpointTicks is { } ticks ? TimeSpan.FromTicks(ticks) : null,
        CheckpointAt is null ? null : db.FromDb(CheckpointAt),
        PlacementJson.Read(Placement),
        db.FromDb(SubmittedAt),
        StartedAt is null ? null : db.FromDb(StartedAt),
        FinishedAt is null ? null : db.FromDb(FinishedAt),
        LastReason);

    /// <summary>The parameters of an insert or a full update of <paramref name="job"/>.</summary>
    public static object Parameters(Job job, Database db) => new
    {
        id = job.Id.Value,
        kind = job.Kind.ToString(),
        name = job.Name,
        tenant = job.Tenant.Value,
        queue = job.Queue.Value,
        key = job.IdempotencyKey,
        spec = job.SpecJson,
        state = job.State.ToString(),
        version = job.Version,
        attempt = job.Attempt,
        retriesUsed = job.RetriesUsed,
        retryBudget = job.RetryBudget,
        checkpointTicks = job.CheckpointProgress?.Ticks,
        checkpointAt = job.CheckpointAt is { } c ? db.ToDb(c) : null,
        placement = PlacementJson.Write(job.Placement),
        submittedAt = db.ToDb(job.SubmittedAt),
        startedAt = job.StartedAt is { } s ? db.ToDb(s) : null,
        finishedAt = job.FinishedAt is { } f ? db.ToDb(f) : null,
        lastReason = job.LastReason,
    };
}

internal sealed class JobEventRow
{
    public const string Columns =
        "seq as Seq, job_id as JobId, from_state as FromState, to_state as ToState, reason as Reason, actor as Actor, at as At, " +
        "attempt as Attempt, details as Details";

    public long Seq { get; set; }
    public string JobId { get; set; } = "";
    public string? FromState { get; set; }
    public string ToState { get; set; } = "";
    public string Reason { get; set; } = "";
    public string Actor { get; set; } = "";
    public object At { get; set; } = "";
    public int Attempt { get; set; }
    public string? Details { get; set; }

    public JobEvent ToEvent(Database db) => new(
        Seq, new JobId(JobId), FromState is null ? null : Enum.Parse<JobState>(FromState), Enum.Parse<JobState>(ToState),
        Reason, Actor, db.FromDb(At), Attempt, Details);
}

internal sealed class DeclarationRow
{
    public const string Columns = "kind as Kind, name as Name, tenant as Tenant, body as Body, version as Version, updated_at as UpdatedAt";

    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Tenant { get; set; }
    public string Body { get; set; } = "";
    public long Version { get; set; }
    public object UpdatedAt { get; set; } = "";

    public Declaration ToDeclaration(Database db) => new(
        Enum.Parse<DeclarationKind>(Kind), Name, Tenant is null ? null : new TenantId(Tenant), Body, Version, db.FromDb(UpdatedAt));
}

/// <summary>A job's placement as a JSON column: one <c>{"node", "gpus", "milli"}</c> object per replica.</summary>
internal static class PlacementJson
{
    public static string Write(IReadOnlyList<ReplicaPlacement> placement) =>
        JsonSerializer.Serialize(placement.Select(p => new Entry(p.Node.Value, [.. p.Gpus], p.GpuMilli)).ToList());

    public static IReadOnlyList<ReplicaPlacement> Read(string json) =>
        [.. (JsonSerializer.Deserialize<List<Entry>>(json) ?? []).Select(e => new ReplicaPlacement(new NodeId(e.Node), e.Gpus, e.Milli))];

    private sealed record Entry(string Node, int[] Gpus, int Milli);
}
