namespace NeoCloud.Server.Workloads;

/// <summary>A tenant as the scheduler sees it: its queues and its pending and running work.</summary>
public sealed record TenantSummary(string Name, IReadOnlyList<string> Queues, int Pending, int Running);
