using NeoCloud.Kernel.Ids;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Actuation;

/// <summary>
/// The twin's hardware actuator: what a BMC, the driver and a technician can do to a node, taking virtual time.
/// A later plugin wraps it; remediation workflows drive it exactly as they would drive real hardware.
/// </summary>
public sealed class TwinActuator(FleetTwin twin)
{
    /// <summary>DCGM diagnostic durations by level (FACTS: r1 seconds, r2 ~2 min, r3 ~10–15 min, r4 over an hour).</summary>
    public static TimeSpan DiagnosticDuration(DiagnosticLevel level) => level switch
    {
        DiagnosticLevel.R1 => TimeSpan.FromSeconds(15),
        DiagnosticLevel.R2 => TimeSpan.FromMinutes(2),
        DiagnosticLevel.R3 => TimeSpan.FromMinutes(12),
        _ => TimeSpan.FromMinutes(75),
    };

    /// <summary>Resets one GPU (1–2 minutes): its work ends, volatile counters and the last XID clear, and faults a reset fixes are cleared.</summary>
    public ActuationTicket ResetGpu(GpuId gpu)
    {
        var state = twin.State;
        int g = state.GpuIndex(gpu);
        int node = state.Gpus.NodeOf[g];
        if (!state.NodeAlive[node])
        {
            throw new InvalidOperationException($"Cannot reset {gpu}: node {state.Topology.Nodes[node].Id} does not answer.");
        }

        var ticket = Begin("reset-gpu", gpu.Value, twin.Options.GpuResetTime, [g]);
        twin.At(ticket.CompletesAt, () =>
        {
            state.Gpus.ClearVolatile(g);
            state.Gpus.Flags[g] &= ~GpuFlags.InRemediation;
            twin.Faults.ClearFixedBy(Remedy.GpuReset, [g], [], ticket.CompletesAt);
            state.RefreshNode(node);
            ticket.IsCompleted = true;
        });
        return ticket;
    }

    /// <summary>Power-cycles a node through its BMC (10–25 minutes): no heartbeat meanwhile; faults a reboot fixes are cleared.</summary>
    public ActuationTicket RebootNode(NodeId node)
    {
        var state = twin.State;
        int n = state.NodeIndex(node);
        var offsets = state.Topology.GpuOffsets;
        int[] gpus = [.. Enumerable.Range(offsets[n], offsets[n + 1] - offsets[n])];
        var o = twin.Options;
        var duration = o.MinRebootTime + ((o.MaxRebootTime - o.MinRebootTime) * twin.ActuationRandom.NextDouble());
        var ticket = Begin("reboot-node", node.Value, duration, gpus);
        state.NodeRebooting[n] = true;
        state.RefreshNode(n);
        twin.At(ticket.CompletesAt, () =>
        {
            state.NodeRebooting[n] = false;
            foreach (int g in gpus)
            {
                state.Gpus.ClearVolatile(g);
                state.Gpus.Flags[g] &= ~GpuFlags.InRemediation;
            }

            twin.Faults.ClearFixedBy(Remedy.Reboot, gpus, [n], ticket.CompletesAt);
            state.RefreshNode(n);
            ticket.IsCompleted = true;
        });
        return ticket;
    }

    /// <summary>Swaps a GPU (hours): the new one starts with clean counters, and every fault on the old one is cleared.</summary>
    public ActuationTicket ReplaceGpu(GpuId gpu)
    {
        var state = twin.State;
        int g = state.GpuIndex(gpu);
        var ticket = Begin("replace-gpu", gpu.Value, twin.Options.GpuReplacementTime, [g]);
        twin.At(ticket.CompletesAt, () =>
        {
            state.Gpus.ResetAsNew(g);
            state.Gpus.Flags[g] &= ~GpuFlags.InRemediation;
            twin.Faults.ClearFixedBy(Remedy.Replace, [g], [], ticket.CompletesAt);
            state.RefreshNode(state.Gpus.NodeOf[g]);
            ticket.IsCompleted = true;
        });
        return ticket;
    }

    /// <summary>Marks a fault repaired now (a cable swapped, a switch or PDU restored, a technician's fix): its signals clear.</summary>
    /// <returns>False when no active fault has that id.</returns>
    public bool Repair(string faultId)
    {
        if (!twin.Faults.TryFind(faultId, out var fault))
        {
            return false;
        }

        foreach (int g in fault.Gpus)
        {
            twin.State.Gpus.LastXid[g] = 0;
        }

        twin.Faults.Clear(fault, twin.Now, repaired: true);
        return true;
    }

    /// <summary>Runs DCGM diagnostics at a level on a node: fails on GPUs with a fault detectable at that level (SDC only at r4).</summary>
    public DiagnosticRun RunDiagnostics(NodeId node, DiagnosticLevel level)
    {
        var state = twin.State;
        int n = state.NodeIndex(node);
        var start = twin.Now;
        var end = start + DiagnosticDuration(level);
        if (!state.NodeAlive[n])
        {
            return new DiagnosticRun(node, level, start, start, false, [], [$"{node} does not answer; diagnostics cannot run."]);
        }

        var failed = new SortedSet<GpuId>();
        var findings = new List<string>();
        foreach (var fault in twin.Faults.OnNode(n))
        {
            if (fault.Record.DetectableAt is { } at && at <= level)
            {
                foreach (var gpu in fault.Record.AffectedGpus)
                {
                    if (gpu.Node == node)
                    {
                        failed.Add(gpu);
                    }
                }

                findings.Add($"{fault.Record.Kind} on {fault.Record.Target} (detectable at {at}).");
            }
        }

        return new DiagnosticRun(node, level, start, end, failed.Count == 0, [.. failed], findings);
    }

    private ActuationTicket Begin(string action, string target, TimeSpan duration, int[] gpus)
    {
        var state = twin.State;
        var start = twin.Now;
        var ticket = new ActuationTicket(action, target, start, start + duration);
        foreach (int g in gpus)
        {
            state.Gpus.Flags[g] |= GpuFlags.InRemediation;
            if (twin.Synthetic.JobOf(g) is { } job)
            {
                twin.Synthetic.Interrupt(job);
            }
        }

        foreach (int node in gpus.Select(g => state.Gpus.NodeOf[g]).Distinct())
        {
            state.RefreshNode(node);
        }

        return ticket;
    }
}
