namespace NeoCloud.Health.Findings;

/// <summary>How bad a finding is.</summary>
public enum Severity
{
    Info,
    Warning,
    Critical,
}

/// <summary>One sample behind a finding: which signal, of what, when, its value and the threshold it crossed.</summary>
public sealed record Evidence(DateTimeOffset At, string Component, string Signal, double Value, double? Threshold = null);

/// <summary>
/// What a detector concluded from the signals of one component: a fault code from the catalogue, how bad, when it was
/// first seen and when it was raised, and the samples that made the detector raise it. A finding is raised once per
/// episode (an XID burst, a debounced excursion), not once per sample.
/// </summary>
/// <param name="Id">Unique, sortable (<c>fnd-…</c>).</param>
/// <param name="Code">The catalogue entry (<c>XID-79</c>, <c>ECC-DBE</c>, <c>IB-LINK-DOWNED</c>, <c>STRAGGLER</c>, ...).</param>
/// <param name="Fatal">True when the component cannot be trusted with work until remediated.</param>
/// <param name="FirstSeenAt">The first sample of the episode (the onset as far as the signals tell).</param>
/// <param name="DetectedAt">When the detector raised it (after debouncing).</param>
/// <param name="Work">The work the component carried when it was raised (0 = none), as in the signal frame.</param>
public sealed record Finding(
    string Id,
    string Code,
    ComponentRef Component,
    Severity Severity,
    bool Fatal,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset DetectedAt,
    string Summary,
    IReadOnlyList<Evidence> Evidence,
    long Work = 0)
{
    /// <summary>The node the component is on or is (for GPUs, ports and nodes); null for switches, PDUs and jobs.</summary>
    public string? Node { get; init; }
}
