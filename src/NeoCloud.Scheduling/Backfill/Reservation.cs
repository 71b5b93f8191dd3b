namespace NeoCloud.Scheduling.Backfill;

/// <summary>
/// The head-of-line gang's reservation: the earliest time it can start given running workloads' expected ends, and the
/// nodes it would take then. Backfill may start work now only if it ends before <paramref name="Start"/> or stays off
/// <paramref name="Nodes"/>.
/// </summary>
public sealed record Reservation(string WorkloadId, DateTimeOffset Start, IReadOnlyList<string> Nodes);
