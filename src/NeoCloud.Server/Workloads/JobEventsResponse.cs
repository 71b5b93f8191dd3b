namespace NeoCloud.Server.Workloads;

/// <summary>A job's events, and whether the job has ended (so <c>watch</c> knows to stop).</summary>
public sealed record JobEventsResponse(IReadOnlyList<JobEventView> Items, bool Final);
