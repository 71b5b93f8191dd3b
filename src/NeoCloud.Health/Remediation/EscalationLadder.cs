using NeoCloud.Fleet.Actuation;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;

namespace NeoCloud.Health.Remediation;

/// <summary>
/// Builds the escalation ladder of a diagnosis (reset → reboot → replace, diagnose → replace, drain and watch → …) and
/// answers the questions the workflow asks of a rung: how wide its fence is and what it asks of the actuator.
/// </summary>
internal static class EscalationLadder
{
    /// <summary>The finding code whose diagnostics must run at r4: only r4 may catch silent data corruption.</summary>
    public const string NumericAnomaly = "NUMERIC-ANOMALY";

    /// <summary>The plan for <paramref name="diagnosis"/>, or null (with <paramref name="why"/>) when no hardware action is called for.</summary>
    public static RemediationPlan? Plan(Diagnosis diagnosis, Func<string, string?> nodeOfGpu, out string why)
    {
        var suspect = diagnosis.Suspect;
        if (suspect.Kind == ComponentKind.Job)
        {
            why = $"the job {suspect.Id} is at fault, not the hardware: {diagnosis.Reasoning}";
            return null;
        }

        if (diagnosis.Remedy is RemedyHint.RestartApplication or RemedyHint.None)
        {
            why = $"remedy {diagnosis.Remedy} asks nothing of the hardware: {diagnosis.Reasoning}";
            return null;
        }

        why = "";
        switch (suspect.Kind)
        {
            case ComponentKind.Switch:
                // Never drain the healthy nodes below a switch: the ticket goes to the switch, the nodes keep their work.
                return new RemediationPlan(suspect, [], [], [RemediationAction.RepairFabric], $"switch {suspect.Id} at fault: fabric repair, no node drained");
            case ComponentKind.Pdu:
                return new RemediationPlan(suspect, [], [], [RemediationAction.RepairPower], $"PDU {suspect.Id} at fault: power repair, no node drained");
            case ComponentKind.Port:
            {
                string node = BeforeSlash(suspect.Id, "port");
                return new RemediationPlan(suspect, [node], [], [RemediationAction.RepairFabric], $"port {suspect.Id} at fault: fence node {node}, fabric repair");
            }

            case ComponentKind.Gpu:
            {
                string node = diagnosis.Nodes.Count == 1 ? diagnosis.Nodes[0] : nodeOfGpu(suspect.Id) ?? BeforeSlash(suspect.Id, "GPU");
                return new RemediationPlan(suspect, [node], [suspect.Id], GpuLadder(diagnosis.Remedy), $"GPU {suspect.Id} at fault ({diagnosis.Remedy})");
            }

            case ComponentKind.Node:
                return new RemediationPlan(suspect, [suspect.Id], [], NodeLadder(diagnosis.Remedy), $"node {suspect.Id} at fault ({diagnosis.Remedy})");
            default:
                throw new ArgumentException($"Diagnosis {diagnosis.Id}: unknown suspect kind {suspect.Kind}.", nameof(diagnosis));
        }
    }

    /// <summary>True when <paramref name="action"/> on <paramref name="run"/>'s target takes the whole node out (not just one GPU).</summary>
    public static bool FencesNode(RemediationRun run, RemediationAction action) =>
        run.Nodes.Count > 0 && (run.Target.Kind != ComponentKind.Gpu || action is RemediationAction.RebootNode or RemediationAction.RepairFabric or RemediationAction.RepairPower);

    /// <summary>True when some rung up to the current one fenced the whole node (a fence only widens).</summary>
    public static bool NodeFenced(RemediationRun run)
    {
        for (int i = 0; i <= run.Rung && i < run.Ladder.Count; i++)
        {
            if (FencesNode(run, run.Ladder[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Facility work: a ticket whose success is the repair; nothing to verify with diagnostics on a node.</summary>
    public static bool IsFacility(RemediationAction action) => action is RemediationAction.RepairFabric or RemediationAction.RepairPower;

    /// <summary>What the actuator is asked for the current rung; null for <see cref="RemediationAction.None"/> (drain and watch).</summary>
    public static ActuationRequest? Request(RemediationRun run, bool numericAnomaly)
    {
        string node = run.Nodes.Count > 0 ? run.Nodes[0] : run.Target.Id;
        string reason = $"remediation {run.Id}: {run.Reason}";
        return run.Action switch
        {
            RemediationAction.None => null,
            RemediationAction.ResetGpu => new ActuationRequest(HardwareAction.ResetGpu, run.Target.Id, reason),
            RemediationAction.RebootNode => new ActuationRequest(HardwareAction.RebootNode, node, reason),

            // r4 only for silent data corruption: it takes over an hour.
            RemediationAction.Diagnose => new ActuationRequest(HardwareAction.RunDiagnostics, DiagnosticsTarget(run), reason, numericAnomaly ? DiagnosticLevel.R4 : DiagnosticLevel.R3),
            RemediationAction.Replace => run.Target.Kind == ComponentKind.Gpu
                ? new ActuationRequest(HardwareAction.ReplaceGpu, run.Target.Id, reason)
                : new ActuationRequest(HardwareAction.RepairNode, node, reason),
            RemediationAction.RepairFabric => new ActuationRequest(HardwareAction.RepairFabric, run.Target.Id, reason),
            RemediationAction.RepairPower => new ActuationRequest(HardwareAction.RepairPower, run.Target.Id, reason),
            _ => throw new InvalidOperationException($"Run {run.Id}: unknown action {run.Action}."),
        };
    }

    /// <summary>
    /// What diagnostics test: the GPU alone while the run works on one GPU (DCGM runs on the node, and another GPU's
    /// unrelated fault must not fail this GPU's check), the whole node once the rung is node-level.
    /// </summary>
    public static string DiagnosticsTarget(RemediationRun run) =>
        run.Target.Kind == ComponentKind.Gpu && run.Action != RemediationAction.RebootNode
            ? run.Target.Id
            : run.Nodes.Count > 0 ? run.Nodes[0] : run.Target.Id;

    /// <summary>
    /// The burn-in level after an action: the policy's, but at least r3 for degradations (a straggler or a throttling GPU
    /// passes r2; only the targeted stress of r3 shows it still runs slow).
    /// </summary>
    public static DiagnosticLevel VerifyLevel(RemediationRun run, DiagnosticLevel policy) =>
        run.Ladder.Count > 0 && run.Ladder[0] == RemediationAction.None && policy < DiagnosticLevel.R3 ? DiagnosticLevel.R3 : policy;

    public static string Describe(IReadOnlyList<RemediationAction> ladder) => string.Join(" → ", ladder);

    private static RemediationAction[] GpuLadder(RemedyHint remedy) => remedy switch
    {
        RemedyHint.ResetGpu => [RemediationAction.ResetGpu, RemediationAction.RebootNode, RemediationAction.Replace],
        RemedyHint.RebootNode => [RemediationAction.RebootNode, RemediationAction.Replace],
        RemedyHint.Diagnose => [RemediationAction.Diagnose, RemediationAction.Replace],
        RemedyHint.Replace => [RemediationAction.Replace],
        RemedyHint.Drain => [RemediationAction.None, RemediationAction.ResetGpu, RemediationAction.RebootNode, RemediationAction.Replace],
        RemedyHint.RepairFabric => [RemediationAction.RepairFabric],
        RemedyHint.RepairPower => [RemediationAction.RepairPower],
        _ => throw new ArgumentOutOfRangeException(nameof(remedy), remedy, "No hardware ladder for this remedy."),
    };

    // A node has no single GPU to reset: its ladders start at the reboot.
    private static RemediationAction[] NodeLadder(RemedyHint remedy) => remedy switch
    {
        RemedyHint.ResetGpu or RemedyHint.RebootNode => [RemediationAction.RebootNode, RemediationAction.Replace],
        RemedyHint.Diagnose => [RemediationAction.Diagnose, RemediationAction.Replace],
        RemedyHint.Replace => [RemediationAction.Replace],
        RemedyHint.Drain => [RemediationAction.None, RemediationAction.RebootNode, RemediationAction.Replace],
        RemedyHint.RepairFabric => [RemediationAction.RepairFabric],
        RemedyHint.RepairPower => [RemediationAction.RepairPower],
        _ => throw new ArgumentOutOfRangeException(nameof(remedy), remedy, "No hardware ladder for this remedy."),
    };

    private static string BeforeSlash(string id, string what)
    {
        int slash = id.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? id[..slash] : throw new ArgumentException($"A {what} id must read '<node>/<…>', got '{id}'.", nameof(id));
    }
}
