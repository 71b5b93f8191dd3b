using NeoCloud.Health.Findings;

namespace NeoCloud.Health.Remediation;

/// <summary>What a diagnosis calls for: the target, what to fence, and the escalation ladder, with why.</summary>
/// <param name="Nodes">The nodes the run concerns: a GPU's node (counted against the budget; fenced only when a rung needs the whole node), a node, a port's node; empty for a switch or PDU.</param>
internal sealed record RemediationPlan(
    ComponentRef Target,
    IReadOnlyList<string> Nodes,
    IReadOnlyList<string> Gpus,
    IReadOnlyList<RemediationAction> Ladder,
    string Why);
