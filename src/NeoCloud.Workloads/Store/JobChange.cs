using NeoCloud.Workloads.Jobs;

namespace NeoCloud.Workloads.Store;

/// <summary>A committed state change: the job after it and its event (with its sequence in the event log).</summary>
public sealed record JobChange(Job Job, JobEvent Event);
