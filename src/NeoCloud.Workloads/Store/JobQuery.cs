using NeoCloud.Kernel.Ids;
using NeoCloud.Workloads.Jobs;

namespace NeoCloud.Workloads.Store;

/// <summary>A filtered, keyset-paged listing of jobs in id (submission) order; null filters match everything.</summary>
/// <param name="States">Jobs in any of these states; null or empty for all states.</param>
/// <param name="Name">Jobs with exactly this name.</param>
public sealed record JobQuery(
    TenantId? Tenant = null,
    QueueId? Queue = null,
    IReadOnlyList<JobState>? States = null,
    string? Name = null,
    int Limit = 100,
    string? Cursor = null);
