using NeoCloud.Scheduling.Fairness;
using NeoCloud.Scheduling.Gangs;
using NeoCloud.Scheduling.Preemption;
using NeoCloud.Scheduling.Queues;

namespace NeoCloud.Scheduling.Cycles;

// Preemption: find the victims whose release lets a blocked workload be admitted and placed, by simulating on the
// placer itself (release candidates, try to place, bind them back when it still does not fit).
public sealed partial class ClusterScheduler
{
    private Outcome TryPreempt(WorkloadEntry entry, DateTimeOffset now, HashSet<int>? restricted, List<PreemptionDecision> decisions, Outcome blocked)
    {
        var candidates = CandidatesFor(entry, now);
        if (candidates.Count == 0)
        {
            return blocked;
        }

        var released = new List<(WorkloadEntry Victim, PreemptionReason Reason)>();
        GangPlacement? placement = null;
        long[]? usage = null;
        var snapshot = _placer.Snapshot;

        // Fewest victims first: one victim of the lowest priority tier that frees enough on its own, best first.
        int tier = candidates[0].Victim.Spec.Priority;
        for (int i = 0; i < candidates.Count && i < SingleVictimProbes && candidates[i].Victim.Spec.Priority == tier; i++)
        {
            var (victim, reason) = candidates[i];
            if ((victim.Queue != entry.Queue && WouldGoBelowGuaranteed(victim)) || victim.GpuMilli < entry.GpuMilli - (snapshot.GpuCapacityMilli - snapshot.GpuAllocatedMilli))
            {
                continue;
            }

            _placer.Release(victim.Gang, victim.Placement!);
            QuotaLedger.Add(victim.Queue, victim.Usage!, -1);
            if (TryPlaceWithinQuota(entry, restricted) is { } alone)
            {
                (placement, usage) = alone;
                released.Add((victim, reason));
                return Commit(entry, now, placement, usage, released, decisions);
            }

            _placer.Bind(victim.Gang, victim.Placement!);
            QuotaLedger.Add(victim.Queue, victim.Usage!, +1);
        }

        foreach (var (victim, reason) in candidates)
        {
            if (victim.Queue != entry.Queue && WouldGoBelowGuaranteed(victim))
            {
                continue; // checked now, not when gathered: earlier victims of the same queue already lowered its usage
            }

            _placer.Release(victim.Gang, victim.Placement!);
            QuotaLedger.Add(victim.Queue, victim.Usage!, -1);
            released.Add((victim, reason));
            if (TryPlaceWithinQuota(entry, restricted) is { } found)
            {
                (placement, usage) = found;
                break;
            }
        }

        if (placement is null || usage is null)
        {
            for (int i = released.Count - 1; i >= 0; i--)
            {
                var victim = released[i].Victim;
                _placer.Bind(victim.Gang, victim.Placement!);
                QuotaLedger.Add(victim.Queue, victim.Usage!, +1);
            }

            return blocked;
        }

        // Keep only victims that matter: one whose nodes the placement does not use and whose quota is not needed goes
        // back to running. What remains frees exactly the domains the gang landed in.
        var used = new HashSet<int>();
        foreach (var binding in placement.Replicas)
        {
            used.Add(binding.Node);
        }

        for (int i = released.Count - 1; i >= 0; i--)
        {
            var victim = released[i].Victim;
            if (victim.Placement!.Replicas.Any(b => used.Contains(b.Node)))
            {
                continue;
            }

            _placer.Bind(victim.Gang, victim.Placement);
            QuotaLedger.Add(victim.Queue, victim.Usage!, +1);
            if (QuotaLedger.Fits(entry.Queue, usage))
            {
                released.RemoveAt(i);
                continue;
            }

            _placer.Release(victim.Gang, victim.Placement);
            QuotaLedger.Add(victim.Queue, victim.Usage!, -1);
        }

        return Commit(entry, now, placement, usage, released, decisions);
    }

    /// <summary>Most single victims tried alone before a search for a set of several.</summary>
    private const int SingleVictimProbes = 16;

    /// <summary>Places the workload on what is free now if its quota allows; null (and nothing taken) otherwise.</summary>
    private (GangPlacement, long[])? TryPlaceWithinQuota(WorkloadEntry entry, HashSet<int>? restricted)
    {
        var snapshot = _placer.Snapshot;
        if (!QuotaMayFit(entry) || entry.GpuMilli > snapshot.GpuCapacityMilli - snapshot.GpuAllocatedMilli)
        {
            return null;
        }

        var trial = PlaceAvoiding(entry.Gang, restricted);
        if (trial is null)
        {
            return null;
        }

        var usage = UsageOf(entry, trial);
        if (QuotaLedger.Fits(entry.Queue, usage))
        {
            return (trial, usage);
        }

        _placer.Release(entry.Gang, trial);
        return null;
    }

    /// <summary>Forgets the victims (their capacity is already released), records why and for whom, and starts the workload.</summary>
    private Outcome Commit(WorkloadEntry entry, DateTimeOffset now, GangPlacement placement, long[] usage,
        List<(WorkloadEntry Victim, PreemptionReason Reason)> released, List<PreemptionDecision> decisions)
    {
        foreach (var (victim, reason) in released)
        {
            QuotaLedger.Add(victim.Queue, victim.Usage!, +1); // ForgetRunning takes it off again, with the indexes
            ForgetRunning(victim);
            string text = reason switch
            {
                PreemptionReason.PriorityWithinQueue => $"preempted in queue {victim.Queue.Name}: {entry.Id} has priority {entry.Spec.Priority}, above its {victim.Spec.Priority}",
                PreemptionReason.ReclaimBorrowed => $"queue {victim.Queue.Name} borrowed quota that queue {entry.Queue.Name} (under its nominal quota) reclaimed for {entry.Id}",
                _ => $"queue {victim.Queue.Name} borrowed and has a higher weighted dominant share than queue {entry.Queue.Name}; capacity went to {entry.Id}",
            };
            decisions.Add(new PreemptionDecision(victim.Id, victim.Queue.Name, reason, entry.Id, text));
            _metrics?.RecordPreemption(reason);
        }

        RemovePendingIndexes(entry);
        AddRunning(entry, placement, usage, now);
        return Outcome.Started;
    }

    /// <summary>
    /// Eligible victims, best first: preemptible, past their guaranteed minimum runtime, and either of the same queue with a
    /// lower priority, or of a borrowing queue of the cohort (reclaim when the preemptor's queue stays within nominal; fair
    /// share when it would still have the lower dominant share). Best = lowest priority, least work lost since the last
    /// checkpoint, most recently started (then submitted).
    /// </summary>
    private List<(WorkloadEntry Victim, PreemptionReason Reason)> CandidatesFor(WorkloadEntry entry, DateTimeOffset now)
    {
        int limit = _options.MaxPreemptionCandidates;
        var candidates = new List<(WorkloadEntry, PreemptionReason)>();
        var queue = entry.Queue;
        foreach (var running in queue.Running)
        {
            if (running.Spec.Priority >= entry.Spec.Priority || candidates.Count >= limit)
            {
                break;
            }

            if (Eligible(running, now))
            {
                candidates.Add((running, PreemptionReason.PriorityWithinQueue));
            }
        }

        if (queue.Cohort is { } cohort)
        {
            var demand = EstimatedDemand(entry);
            bool withinNominal = QuotaLedger.WithinNominal(queue, demand);
            double shareAfter = FairShare.DominantShare(queue, _flavours.Capacity, demand);
            foreach (var other in cohort.Members)
            {
                if (other == queue || !other.IsBorrowing())
                {
                    continue;
                }

                PreemptionReason? reason = withinNominal ? PreemptionReason.ReclaimBorrowed
                    : _options.FairSharePreemption && FairShare.DominantShare(other, _flavours.Capacity) > shareAfter ? PreemptionReason.FairShare
                    : null;
                if (reason is null)
                {
                    continue;
                }

                int taken = 0;
                foreach (var running in other.Running)
                {
                    if (taken >= limit)
                    {
                        break;
                    }

                    if (Eligible(running, now))
                    {
                        candidates.Add((running, reason.Value));
                        taken++;
                    }
                }
            }
        }

        candidates.Sort((a, b) =>
        {
            int c = a.Item1.Spec.Priority.CompareTo(b.Item1.Spec.Priority);
            if (c == 0)
            {
                c = a.Item1.WorkLost(now).CompareTo(b.Item1.WorkLost(now));
            }

            if (c == 0)
            {
                c = b.Item1.StartedAt.CompareTo(a.Item1.StartedAt);
            }

            return c != 0 ? c : b.Item1.Sequence.CompareTo(a.Item1.Sequence);
        });
        if (candidates.Count > limit)
        {
            candidates.RemoveRange(limit, candidates.Count - limit);
        }

        return candidates;
    }

    private static bool Eligible(WorkloadEntry running, DateTimeOffset now) =>
        running.Spec.Preemptible && now - running.StartedAt >= running.Spec.GuaranteedMinimumRuntime;

    /// <summary>Whether taking the victim away would leave its queue below the guaranteed amount of a flavour it uses.</summary>
    private static bool WouldGoBelowGuaranteed(WorkloadEntry victim)
    {
        var queue = victim.Queue;
        var usage = victim.Usage!;
        for (int f = 0; f < usage.Length; f++)
        {
            if (usage[f] > 0 && queue.Usage[f] - usage[f] < queue.Guaranteed[f])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The demand before placement, GPUs counted on the first allowed model (the one a pre-check would try first).</summary>
    private long[] EstimatedDemand(WorkloadEntry entry)
    {
        var demand = new long[_flavours.Count];
        demand[ResourceFlavours.Cpu] = (long)entry.Gang.Replicas * entry.Gang.Replica.CpuMilli;
        demand[ResourceFlavours.Memory] = (long)entry.Gang.Replicas * entry.Gang.Replica.MemoryMib;
        if (entry.GpuMilli > 0)
        {
            for (int m = 0; m < _flavours.Count - ResourceFlavours.FirstGpu; m++)
            {
                if ((entry.ModelMask & (1UL << m)) != 0)
                {
                    demand[ResourceFlavours.FirstGpu + m] = entry.GpuMilli;
                    break;
                }
            }
        }

        return demand;
    }
}
