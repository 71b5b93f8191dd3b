namespace NeoCloud.Scheduling.Queues;

/// <summary>A group of queues that lend each other their unused nominal quota (<c>kind: Cohort</c>).</summary>
public sealed record CohortSpec(string Name, string? Description = null);
