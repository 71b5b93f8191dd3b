namespace NeoCloud.Scheduling.Queues;

/// <summary>The cohorts and queues declared in one manifest stream, in the order they appeared.</summary>
public sealed record QueueManifests(IReadOnlyList<CohortSpec> Cohorts, IReadOnlyList<QueueSpec> Queues);
