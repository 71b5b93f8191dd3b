using NeoCloud.Fleet.Actuation;
using NeoCloud.Kernel.Ids;
using NeoCloud.Plugins.Lifecycle;
using NeoCloud.Simulator.Faults;
using NeoCloud.Simulator.Twin;

namespace NeoCloud.Simulator.Actuation;

/// <summary>
/// The twin's hardware actuator: what a BMC, the driver and a technician can do to a node, taking virtual time.
/// It is an <see cref="IHardwareActuator"/> plugin, so remediation workflows drive it exactly as they would drive real hardware.
/// </summary>
public sealed class TwinActuator(FleetTwin twin) : IHardwareActuator
{
    private static readonly IReadOnlySet<HardwareAction> SupportedActions = new HashSet<HardwareAction>(Enum.GetValues<HardwareAction>());

    public IReadOnlySet<HardwareAction> Supported => SupportedActions;

    public IReadOnlyList<ConfigField> ConfigSchema => [];

    public Task InitAsync(PluginContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<PluginHealth> CheckHealthAsync(CancellationToken cancellationToken) => ValueTask.FromResult(PluginHealth.Ready);

    public Task DrainAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Carries out an action and completes when it has taken effect on virtual time (someone must be ticking the twin).</summary>
    /// <remarks>
    /// An action the hardware refuses (an unknown target, a node that does not answer) is a failed result, not an
    /// exception: the plugin host isolates a plugin that throws, and one bad request must not take the actuator away.
    /// </remarks>
    public async Task<ActuationResult> ExecuteAsync(ActuationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await ExecuteCoreAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or ArgumentException or FormatException)
        {
            return new ActuationResult(false, TimeSpan.Zero, $"{request.Action} of {request.Target} refused: {ex.Message}");
        }
    }

    private async Task<ActuationResult> ExecuteCoreAsync(ActuationRequest request, CancellationToken cancellationToken)
    {
        switch (request.Action)
        {
            case HardwareAction.ResetGpu:
                return await Await(ResetGpu(new GpuId(request.Target)), cancellationToken);
            case HardwareAction.RebootNode or HardwareAction.PowerCycleNode:
                return await Await(RebootNode(new NodeId(request.Target)), cancellationToken);
            case HardwareAction.ReplaceGpu:
                return await Await(ReplaceGpu(new GpuId(request.Target)), cancellationToken);
            case HardwareAction.RunDiagnostics:
            {
                (DiagnosticRun Run, ActuationResult Result) diagnosis;
                Task done;
                lock (twin.State.Gate)
                {
                    diagnosis = Diagnose(request.Target, request.Level ?? DiagnosticLevel.R1);
                    done = twin.WhenAt(diagnosis.Run.CompletesAt);
                }

                await done.WaitAsync(cancellationToken);
                return diagnosis.Result;
            }

            case HardwareAction.RepairFabric or HardwareAction.RepairPower:
                return await Await(RepairFacility(request.Action, request.Target), cancellationToken);

            default:
            {
                int repaired = RepairNode(new NodeId(request.Target));
                return new ActuationResult(true, TimeSpan.Zero, $"{repaired} fault(s) repaired on {request.Target}");
            }
        }
    }

    private static async Task<ActuationResult> Await(ActuationTicket ticket, CancellationToken cancellationToken)
    {
        await ticket.Completion.WaitAsync(cancellationToken);
        return new ActuationResult(true, ticket.CompletesAt - ticket.StartedAt, $"{ticket.Action} of {ticket.Target} done");
    }

    /// <summary>
    /// Starts diagnostics on a node, or on a GPU's node judged on that GPU alone (another GPU's fault must not fail it),
    /// and says what the run will report when it completes.
    /// </summary>
    internal (DiagnosticRun Run, ActuationResult Result) Diagnose(string target, DiagnosticLevel level)
    {
        lock (twin.State.Gate)
        {
            var node = new NodeId(target);
            GpuId? only = null;
            if (twin.State.TryResolveGpu(target, out int g))
            {
                only = new GpuId(target);
                node = twin.Topology.Nodes[twin.State.Gpus.NodeOf[g]].Id;
            }

            var run = RunDiagnostics(node, level);
            bool passed = only is { } gpu ? run.CompletesAt > run.StartedAt && !run.FailedGpus.Contains(gpu) : run.Passed;
            string detail = passed ? $"{run.Level} passed" : $"{run.Level} failed: {string.Join("; ", run.Findings)}";
            return (run, new ActuationResult(passed, run.CompletesAt - run.StartedAt, detail));
        }
    }

    /// <summary>
    /// A technician's facility work (<see cref="SimulationOptions.FacilityRepairTime"/>): reseat or replace the cable of a
    /// port, restore a leaf switch, or a PDU. The faults on the target (for a node: on its ports) clear when the work ends.
    /// </summary>
    public ActuationTicket RepairFacility(HardwareAction action, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        lock (twin.State.Gate)
        {
            var state = twin.State;
            bool isNode = state.Topology.TryGetNodeIndex(new NodeId(target), out int node);
            bool known = isNode || state.TryResolvePort(target, out _, out _)
                || state.Topology.TryGetSwitch(new SwitchId(target), out _) || state.Pdus.Contains(new PduId(target));
            if (!known)
            {
                throw new KeyNotFoundException($"No port, switch, PDU or node '{target}' in fleet '{state.Topology.Name}'.");
            }

            var start = twin.Now;
            var ticket = new ActuationTicket(action == HardwareAction.RepairPower ? "repair-power" : "repair-fabric", target, start, start + twin.Options.FacilityRepairTime);
            twin.At(ticket.CompletesAt, () =>
            {
                var ids = twin.Faults.Active
                    .Where(f => f.Record.Target == target || (isNode && f.Record.Scope == FaultScope.Port && f.Nodes.Contains(node)))
                    .Select(f => f.Record.Id)
                    .ToList();
                foreach (string id in ids)
                {
                    Repair(id);
                }

                ticket.Complete();
            });
            return ticket;
        }
    }

    /// <summary>A technician's repair of everything wrong with a node now (cables, GPUs, the node itself).</summary>
    /// <returns>How many faults were cleared.</returns>
    public int RepairNode(NodeId node)
    {
        lock (twin.State.Gate)
        {
            int n = twin.State.NodeIndex(node);
            var ids = twin.Faults.OnNode(n).Where(f => f.Record.Scope is not (FaultScope.Switch or FaultScope.Pdu)).Select(f => f.Record.Id).ToList();
            return ids.Count(Repair);
        }
    }

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
        lock (twin.State.Gate)
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
                ticket.Complete();
            });
            return ticket;
        }
    }

    /// <summary>Power-cycles a node through its BMC (10–25 minutes): no heartbeat meanwhile; faults a reboot fixes are cleared.</summary>
    public ActuationTicket RebootNode(NodeId node)
    {
        lock (twin.State.Gate)
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
                ticket.Complete();
            });
            return ticket;
        }
    }

    /// <summary>Swaps a GPU (hours): the new one starts with clean counters, and every fault on the old one is cleared.</summary>
    public ActuationTicket ReplaceGpu(GpuId gpu)
    {
        lock (twin.State.Gate)
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
                ticket.Complete();
            });
            return ticket;
        }
    }

    /// <summary>Marks a fault repaired now (a cable swapped, a switch or PDU restored, a technician's fix): its signals clear.</summary>
    /// <returns>False when no active fault has that id.</returns>
    public bool Repair(string faultId)
    {
        lock (twin.State.Gate)
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
    }

    /// <summary>Runs DCGM diagnostics at a level on a node: fails on GPUs with a fault detectable at that level (SDC only at r4).</summary>
    public DiagnosticRun RunDiagnostics(NodeId node, DiagnosticLevel level)
    {
        lock (twin.State.Gate)
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
