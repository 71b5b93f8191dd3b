using NeoCloud.Scheduling.Queues;

namespace NeoCloud.Server.Workloads;

/// <summary>One queue: its live status and the manifest it was declared with.</summary>
public sealed record QueueDetails(QueueStatus Status, string? Manifest, long? Version);
