using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;

namespace NeoCloud.Health.Correlation;

/// <summary>
/// The component diagnosis holds at fault, with how sure it is and why: one GPU, a node (host, PCIe switch, power), a
/// leaf switch or a PDU above many nodes, a fabric port, or the job itself (no hardware action).
/// </summary>
/// <param name="Id">Unique, sortable (<c>dgn-…</c>).</param>
/// <param name="Suspect">The component at fault.</param>
/// <param name="Confidence">0–1.</param>
/// <param name="Reasoning">Plain sentences an on-call engineer can check against the evidence.</param>
/// <param name="Remedy">The least action that should fix it.</param>
/// <param name="Fatal">True when the suspect must be taken out of service.</param>
/// <param name="Nodes">Nodes whose capacity is affected (for a switch or PDU: every node below it).</param>
/// <param name="Gpus">GPUs affected, when narrower than whole nodes.</param>
/// <param name="Findings">The findings it explains.</param>
public sealed record Diagnosis(
    string Id,
    ComponentRef Suspect,
    double Confidence,
    string Reasoning,
    RemedyHint Remedy,
    bool Fatal,
    DateTimeOffset At,
    IReadOnlyList<string> Nodes,
    IReadOnlyList<string> Gpus,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>The work the suspect carried (0 = none), for a job-level diagnosis the job's key.</summary>
    public long Work { get; init; }

    /// <summary>
    /// Earlier diagnoses this one replaces: a GPU diagnosed alone whose node turned out to have several failing GPUs is
    /// superseded by the node's diagnosis (remediation widens the earlier run to the node instead of starting a second).
    /// </summary>
    public IReadOnlyList<string> Supersedes { get; init; } = [];
}
