using NeoCloud.Workloads.Jobs;

namespace NeoCloud.Workloads.Store;

/// <summary>What a submission did: the job, and whether this call created it (false: the idempotency key named an existing one).</summary>
public sealed record SubmitResult(Job Job, bool Created);
