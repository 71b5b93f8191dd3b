namespace NeoCloud.Scheduling.Queues;

/// <summary>
/// A queue as an operator sees it: pending depth, running count, usage and borrowing per flavour (GPUs, cores, GiB),
/// weighted dominant share (the fair-share key) and how long its oldest pending workload has waited.
/// </summary>
public sealed record QueueStatus(
    string Name,
    string Tenant,
    string? Cohort,
    int Pending,
    int Running,
    IReadOnlyDictionary<string, double> Usage,
    IReadOnlyDictionary<string, double> Borrowed,
    double DominantShare,
    TimeSpan OldestWait);
