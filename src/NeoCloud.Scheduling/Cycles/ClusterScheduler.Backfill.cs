using NeoCloud.Scheduling.Backfill;
using NeoCloud.Scheduling.Gangs;

namespace NeoCloud.Scheduling.Cycles;

// EASY backfill: the first gang (in fair-share order) that cannot start for lack of capacity gets a reservation at the
// earliest time running workloads' expected ends free enough room for it, found by simulating those ends on the placer.
public sealed partial class ClusterScheduler
{
    private Reservation? _lastReservation;

    /// <summary>The reservation the last cycle made for its head-of-line gang, if any.</summary>
    public Reservation? CurrentReservation => _lastReservation;

    private (Reservation?, HashSet<int>?) Reserve(WorkloadEntry head, DateTimeOffset now)
    {
        Unhide(); // the reservation is found on the cluster as it is
        var snapshot = _placer.Snapshot;
        var released = new List<WorkloadEntry>();
        GangPlacement? placement = null;
        DateTimeOffset start = now;
        long free = snapshot.GpuCapacityMilli - snapshot.GpuAllocatedMilli;
        int probes = 0;
        int nextProbe = 0;
        int stride = 1;
        foreach (var running in _runningByEnd)
        {
            _placer.Release(running.Gang, running.Placement!);
            released.Add(running);
            free += running.GpuMilli;
            if (free < head.GpuMilli || released.Count < nextProbe)
            {
                continue;
            }

            placement = _placer.TryPlace(head.Gang);
            probes++;
            if (placement is not null)
            {
                start = running.ExpectedEnd > now ? running.ExpectedEnd : now;
                break;
            }

            // Past a handful of exact probes, probe at geometrically spaced ends: the reservation may then be later than
            // the exact earliest (never earlier), and a cycle's cost stays bounded with tens of thousands running.
            if (probes >= _options.MaxReservationProbes / 2)
            {
                stride *= 2;
            }

            nextProbe = released.Count + stride;
            if (probes >= _options.MaxReservationProbes)
            {
                nextProbe = int.MaxValue;
            }
        }

        if (placement is null && released.Count > 0 && released.Count == _runningByEnd.Count)
        {
            placement = _placer.TryPlace(head.Gang);
            start = released[^1].ExpectedEnd > now ? released[^1].ExpectedEnd : now;
        }

        if (placement is not null)
        {
            _placer.Release(head.Gang, placement);
        }

        for (int i = released.Count - 1; i >= 0; i--)
        {
            _placer.Bind(released[i].Gang, released[i].Placement!);
        }

        if (placement is null)
        {
            return (null, null); // it does not fit even with everything ended: the schedulable nodes cannot hold it
        }

        var nodes = new HashSet<int>();
        foreach (var binding in placement.Replicas)
        {
            nodes.Add(binding.Node);
        }

        var names = nodes.Order().Select(snapshot.NodeName).ToList();
        return (new Reservation(head.Id, start, names), nodes);
    }
}
